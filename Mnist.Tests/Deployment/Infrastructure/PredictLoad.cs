using System.Collections.Concurrent;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Mnist.V1;

namespace Mnist.Tests.Deployment.Infrastructure;

/// <summary>
/// Clients that keep calling Predict over one shared connection, as a busy caller would, recording every
/// call: when it started and ended, its status and the model version that answered.
/// </summary>
internal sealed class PredictLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<PredictCall> _calls = new();
    private readonly Task[] _workers;

    public PredictLoad(GrpcChannel channel, int workers, TimeSpan pause)
    {
        var mnist = new V1.Mnist.MnistClient(channel);
        _workers = Enumerable.Range(0, workers).Select(w => Task.Run(() => RunAsync(mnist, w, pause))).ToArray();
    }

    public IReadOnlyList<PredictCall> Calls => _calls.OrderBy(c => c.Started).ToList();

    /// <summary>Stops starting calls and waits for those in flight.</summary>
    public async Task<IReadOnlyList<PredictCall>> StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers).WaitAsync(TimeSpan.FromSeconds(30));
        return Calls;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }

    private async Task RunAsync(V1.Mnist.MnistClient mnist, int worker, TimeSpan pause)
    {
        var testSet = TestModel.TestSet;
        for (var i = worker; !_stop.IsCancellationRequested; i += _workers.Length)
        {
            var id = i % 1000;
            var request = new PredictRequest { Pixels = ByteString.CopyFrom(testSet.Image(id)) };
            var started = DateTimeOffset.UtcNow;
            try
            {
                var prediction = await mnist.PredictAsync(request, deadline: DateTime.UtcNow.AddSeconds(10));
                _calls.Enqueue(new PredictCall(started, DateTimeOffset.UtcNow, StatusCode.OK, prediction.ModelVersion, ""));
            }
            catch (RpcException failure)
            {
                _calls.Enqueue(new PredictCall(started, DateTimeOffset.UtcNow, failure.StatusCode, "", failure.ToString()));
            }

            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause);
            }
        }
    }
}
