using System.Diagnostics;
using System.Globalization;

namespace Mnist.Training.Progress;

/// <summary>Plain, timestamp-free lines at most every <see cref="Interval"/>, plus one per epoch: readable in kubectl logs.</summary>
internal sealed class LogProgressReporter(TextWriter output, TimeProvider time) : ProgressReporter, ITrainingObserver
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private long _epochStart;
    private long _lastLine;
    private int _epoch;
    private int _epochs;
    private int _images;
    private double _lossSum;
    private int _batches;

    public override T Run<T>(Func<ITrainingObserver, T> work) => work(this);

    public void EpochStarted(int epoch, int epochs, int images, float learningRate)
    {
        (_epoch, _epochs, _images, _lossSum, _batches) = (epoch, epochs, images, 0, 0);
        _epochStart = _lastLine = time.GetTimestamp();
        Write($"epoch {epoch}/{epochs}: {images} images, learning rate {learningRate:G4}");
    }

    public void BatchCompleted(int imagesDone, float loss)
    {
        _lossSum += loss;
        _batches++;
        var now = time.GetTimestamp();
        if (time.GetElapsedTime(_lastLine, now) < Interval || imagesDone == _images)
        {
            return;
        }

        _lastLine = now;
        var elapsed = time.GetElapsedTime(_epochStart, now);
        var rate = imagesDone / Math.Max(elapsed.TotalSeconds, 1e-9);
        var eta = TimeSpan.FromSeconds((_images - imagesDone) / Math.Max(rate, 1e-9));
        Write($"epoch {_epoch}/{_epochs}: {imagesDone}/{_images} images ({100.0 * imagesDone / _images:F0}%), " +
              $"loss {_lossSum / _batches:F4}, {rate:F0} images/s, ETA {eta:hh\\:mm\\:ss}");
    }

    public void EpochCompleted(int epoch, float meanLoss, TimeSpan elapsed) =>
        Write($"epoch {epoch}/{_epochs} done: mean loss {meanLoss:F4}, {elapsed.TotalSeconds:F1} s, " +
              $"{_images / Math.Max(elapsed.TotalSeconds, 1e-9):F0} images/s");

    public void Status(string message) => Write(message);

    private void Write(string line)
    {
        Debug.Assert(line.Length > 0, "empty log line");
        output.WriteLine(line.ToString(CultureInfo.InvariantCulture));
        output.Flush();
    }
}
