using Mnist.Cli.Input;

namespace Mnist.Tests.Unit.Cli;

/// <summary>Calls run concurrently up to the bound, and results come back in input order.</summary>
[Category("Unit")]
public class OrderedConcurrencyTests
{
    [TestCase(1)]
    [TestCase(4)]
    [TestCase(8)]
    public async Task RunAsync_LaterInputsFinishFirst_YieldsInInputOrderWithinTheBound(int maxInFlight)
    {
        var inputs = Enumerable.Range(0, 40).ToArray();
        var (inFlight, peak) = (0, 0);
        var gate = new object();

        async Task<int> Work(int input, CancellationToken token)
        {
            lock (gate)
            {
                peak = Math.Max(peak, ++inFlight);
            }

            await Task.Delay((40 - input) % 7 * 3, token); // later inputs often finish sooner
            lock (gate)
            {
                inFlight--;
            }

            return input * 10;
        }

        var results = new List<int>();
        await foreach (var result in OrderedConcurrency.RunAsync(inputs, maxInFlight, Work).WithCancellation(CancellationToken.None))
        {
            results.Add(result);
        }

        Assert.That(results, Is.EqualTo(inputs.Select(i => i * 10)));
        Assert.That(peak, Is.LessThanOrEqualTo(maxInFlight));
        Assert.That(peak, Is.EqualTo(maxInFlight), "the bound is used, not just respected");
    }
}
