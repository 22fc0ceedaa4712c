using Spectre.Console;

namespace Mnist.Training.Progress;

/// <summary>A live Spectre.Console bar per epoch with loss, images/s and time remaining.</summary>
internal sealed class TerminalProgressReporter : ProgressReporter
{
    public override T Run<T>(Func<ITrainingObserver, T> work) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn(),
                new RemainingTimeColumn())
            .Start(context => work(new Observer(context)));

    private sealed class Observer(ProgressContext context) : ITrainingObserver
    {
        private ProgressTask? _task;
        private string _epochLabel = "";
        private double _lossSum;
        private int _batches;

        public void EpochStarted(int epoch, int epochs, int images, float learningRate)
        {
            _epochLabel = $"epoch {epoch}/{epochs}";
            (_lossSum, _batches) = (0, 0);
            _task = context.AddTask(_epochLabel, maxValue: images);
        }

        public void BatchCompleted(int imagesDone, float loss)
        {
            _lossSum += loss;
            _batches++;
            if (_task is null)
            {
                return;
            }

            _task.Value = imagesDone;
            var rate = _task.Speed ?? 0;
            _task.Description = $"{_epochLabel}  loss {_lossSum / _batches:F4}  {rate,6:F0} img/s";
        }

        public void EpochCompleted(int epoch, float meanLoss, TimeSpan elapsed)
        {
            if (_task is not null)
            {
                _task.Description = $"{_epochLabel}  loss {meanLoss:F4}  {elapsed.TotalSeconds:F1} s";
                _task.StopTask();
            }
        }

        public void Status(string message) => AnsiConsole.MarkupLine(Markup.Escape(message));
    }
}
