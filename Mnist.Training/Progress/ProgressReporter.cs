namespace Mnist.Training.Progress;

/// <summary>Chooses how progress is shown: a live bar on a terminal, periodic plain lines otherwise (a Job's log).</summary>
internal abstract class ProgressReporter
{
    public static ProgressReporter Create(TextWriter output, TimeProvider time) =>
        ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected
            ? new TerminalProgressReporter()
            : new LogProgressReporter(output, time);

    /// <summary>Runs <paramref name="work"/> with an observer that is live for its whole duration.</summary>
    public abstract T Run<T>(Func<ITrainingObserver, T> work);
}
