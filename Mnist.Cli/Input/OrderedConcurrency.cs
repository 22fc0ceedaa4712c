using System.Runtime.CompilerServices;

namespace Mnist.Cli.Input;

/// <summary>
/// Runs work for many inputs with at most N in flight and yields the results in input order, so output
/// reads like the command line however the calls interleave. Memory stays bounded by N.
/// </summary>
internal static class OrderedConcurrency
{
    /// <param name="work">Must not throw: failures are part of its result.</param>
    public static async IAsyncEnumerable<TResult> RunAsync<TInput, TResult>(
        IReadOnlyList<TInput> inputs, int maxInFlight, Func<TInput, CancellationToken, Task<TResult>> work,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInFlight, 1);
        // Finished results may wait a little for a slow one ahead of them, so the window is wider than N.
        var windowSize = maxInFlight * 4;
        var gate = new SemaphoreSlim(maxInFlight); // not disposed: calls abandoned by an early stop still release it
        var window = new Queue<Task<TResult>>(windowSize);
        var next = 0;
        while (next < inputs.Count && window.Count < windowSize)
        {
            window.Enqueue(Start(inputs[next++]));
        }

        while (window.Count > 0)
        {
            var result = await window.Dequeue().ConfigureAwait(false);
            if (next < inputs.Count && !cancellationToken.IsCancellationRequested)
            {
                window.Enqueue(Start(inputs[next++]));
            }

            yield return result;
        }

        // Task.Run: a slow synchronous start (file open, request serialization) must not hold up the window.
        Task<TResult> Start(TInput input) => Task.Run(
            async () =>
            {
                await gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                try
                {
                    return await work(input, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            },
            CancellationToken.None);
    }
}
