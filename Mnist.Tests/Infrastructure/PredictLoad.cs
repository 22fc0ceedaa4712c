using System.Collections.Concurrent;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Mnist.V1;

namespace Mnist.Tests;

/// <summary>Predict calls in a loop until stopped, each outcome recorded: "OK", "Unavailable", or the code with its detail.</summary>
internal static class PredictLoad
{
    public static Task[] Start(GrpcChannel channel, int workers, ConcurrentQueue<string> outcomes, CancellationToken stop) =>
        Enumerable.Range(0, workers).Select(w => Task.Run(() => RunAsync(channel, w, outcomes, stop))).ToArray();

    private static async Task RunAsync(GrpcChannel channel, int worker, ConcurrentQueue<string> outcomes, CancellationToken stop)
    {
        var client = new V1.Mnist.MnistClient(channel);
        var request = new PredictRequest { Pixels = ByteString.CopyFrom(TestModel.TestSet.Image(worker)) };
        while (!stop.IsCancellationRequested)
        {
            try
            {
                // Not cancelled by the stop: each call runs to its own end, so a hang shows as DEADLINE_EXCEEDED.
                await client.PredictAsync(request, deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: CancellationToken.None);
                outcomes.Enqueue("OK");
            }
            catch (RpcException e)
            {
                // The detail says which: a refusal by the draining server, or a connection refused once it is gone.
                outcomes.Enqueue(e.StatusCode == StatusCode.Unavailable ? "Unavailable" : $"{e.StatusCode} ({e.Status.Detail})");
                if (e.StatusCode == StatusCode.Unavailable)
                {
                    await Task.Delay(5, CancellationToken.None);
                }
            }
        }
    }
}
