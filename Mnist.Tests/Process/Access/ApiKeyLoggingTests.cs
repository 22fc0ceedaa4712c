using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Mnist.V1;

// Not Mnist.Tests.Process: that namespace would hide System.Diagnostics.Process in the other tests.
namespace Mnist.Tests.Processes.Access;

/// <summary>The real server process, logging at Debug with scopes: no key, right or wrong, appears in any line it writes.</summary>
[Category("Process")]
[NonParallelizable]
public class ApiKeyLoggingTests
{
    [Test]
    public async Task Logs_CallsWithRightAndWrongKeysAndARotation_NeverContainAKey()
    {
        var wrong = "wrong-" + ApiKeysFile.Beta;
        using var keys = new ApiKeysFile(("alpha", ApiKeysFile.Alpha));
        await using var server = ServerProcess.Start(
            ("API_KEYS_FILE", keys.Path), ("API_KEYS_POLL_SECONDS", "0.2"),
            ("Logging__LogLevel__Default", "Debug"), ("Logging__LogLevel__Microsoft.AspNetCore", "Debug"),
            ("Logging__Console__FormatterOptions__IncludeScopes", "true"));
        using var channel = GrpcChannel.ForAddress(server.GrpcAddress);
        using var http = new HttpClient { BaseAddress = server.HttpAddress, Timeout = InferenceServer.Timeout };
        var client = new V1.Mnist.MnistClient(channel);
        await WaitForServingAsync(channel, server);

        await client.PredictTestSampleAsync(new() { Id = 1 }, new Metadata { { "authorization", "Bearer " + ApiKeysFile.Alpha } }).ResponseAsync.WaitAsync(InferenceServer.Timeout);
        await client.PredictAsync(new PredictRequest { Pixels = ByteString.CopyFrom(TestModel.TestSet.Image(1)) }, new Metadata { { "x-api-key", ApiKeysFile.Alpha } })
            .ResponseAsync.WaitAsync(InferenceServer.Timeout);
        var refused = await StatusAsync(client, new Metadata { { "authorization", "Bearer " + wrong } });
        await SendAsync(http, "/v1/test-samples/2", ApiKeysFile.Alpha);
        await SendAsync(http, "/predict/2", wrong);
        keys.Write(("alpha", ApiKeysFile.Alpha), ("beta", ApiKeysFile.Beta));
        using var timeout = new CancellationTokenSource(InferenceServer.Timeout);
        while (await StatusAsync(client, new Metadata { { "x-api-key", ApiKeysFile.Beta } }) != StatusCode.OK)
        {
            await Task.Delay(100, timeout.Token);
        }

        server.Terminate();
        Assert.That(await server.WaitForExitAsync(InferenceServer.Timeout), Is.True, server.ToString());
        var log = server.Output;

        Assert.That(refused, Is.EqualTo(StatusCode.Unauthenticated));
        Assert.That(log, Does.Contain("API key(s) in force").And.Contain("alpha, beta"), "the log was captured, with the keys' names");
        Assert.That(log, Does.Contain("Caller: alpha"), "the key's name is on the calls' log scope");
        Assert.That(log, Does.Not.Contain(ApiKeysFile.Alpha));
        Assert.That(log, Does.Not.Contain(ApiKeysFile.Beta));
        Assert.That(log, Does.Not.Contain(wrong));
    }

    private static async Task<StatusCode> StatusAsync(V1.Mnist.MnistClient client, Metadata headers)
    {
        try
        {
            await client.PredictTestSampleAsync(new() { Id = 3 }, headers).ResponseAsync.WaitAsync(InferenceServer.Timeout);
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }

    private static async Task SendAsync(HttpClient http, string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("x-api-key", key);
        using var response = await http.SendAsync(request).WaitAsync(InferenceServer.Timeout);
    }

    private static async Task WaitForServingAsync(GrpcChannel channel, ServerProcess server)
    {
        var health = new Health.HealthClient(channel);
        using var timeout = new CancellationTokenSource(InferenceServer.Timeout);
        while (true)
        {
            Assert.That(server.HasExited, Is.False, server.ToString());
            try
            {
                var status = await health.CheckAsync(new HealthCheckRequest(), cancellationToken: timeout.Token);
                if (status.Status == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return;
                }
            }
            catch (RpcException) when (!timeout.IsCancellationRequested)
            {
            }

            await Task.Delay(100, timeout.Token);
        }
    }
}
