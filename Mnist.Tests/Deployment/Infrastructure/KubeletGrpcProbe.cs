using Grpc.Health.V1;
using Grpc.Core;
using Grpc.Net.Client;
using YamlDotNet.RepresentationModel;

namespace Mnist.Tests.Deployment.Infrastructure;

/// <summary>
/// A native gRPC probe (<c>startupProbe.grpc</c> etc.) as the kubelet runs it: a new connection per attempt,
/// <c>grpc.health.v1.Health/Check</c> with the manifest's <c>service</c>, success only on SERVING, anything
/// else (another status, an error, the timeout) a failure. Periods are scaled for tests; timeouts are not.
/// </summary>
internal sealed record KubeletGrpcProbe(string Kind, int Port, string Service, TimeSpan Period, TimeSpan Timeout, int FailureThreshold)
{
    /// <summary>What the kubelet sends as user-agent (kube-probe/&lt;major.minor&gt;).</summary>
    public const string UserAgent = "kube-probe/1.30";

    public static KubeletGrpcProbe From(YamlNode container, string kind, double periodScale)
    {
        var probe = container.At(kind) ?? throw new AssertionException($"The container has no {kind}.");
        Assert.That(probe.At("grpc"), Is.Not.Null, $"{kind} is not a gRPC probe");
        return new KubeletGrpcProbe(
            kind,
            probe.Int("grpc.port")!.Value,
            probe.Text("grpc.service") ?? "",
            TimeSpan.FromSeconds((probe.Int("periodSeconds") ?? 10) * periodScale),
            TimeSpan.FromSeconds(probe.Int("timeoutSeconds") ?? 1),
            probe.Int("failureThreshold") ?? 3);
    }

    /// <summary>One attempt against the host port the probe's container port maps to.</summary>
    public async Task<ProbeResult> RunOnceAsync(PortMap ports)
    {
        var started = DateTimeOffset.UtcNow;
        using var http = new HttpClient(new SocketsHttpHandler());
        http.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{ports[Port]}", new GrpcChannelOptions { HttpClient = http });
        try
        {
            var response = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest { Service = Service }, deadline: DateTime.UtcNow + Timeout).ResponseAsync
                .WaitAsync(Timeout + TimeSpan.FromSeconds(1));
            return new ProbeResult(started, response.Status == HealthCheckResponse.Types.ServingStatus.Serving, response.Status.ToString());
        }
        catch (Exception failure) when (failure is RpcException or TimeoutException or HttpRequestException)
        {
            return new ProbeResult(started, false, failure.Message);
        }
    }

    /// <summary>
    /// Probes every period until one succeeds, or fails the test after <paramref name="attempts"/> attempts
    /// (a startup probe's failureThreshold: the kubelet would restart the container then).
    /// </summary>
    public async Task<IReadOnlyList<ProbeResult>> UntilSuccessAsync(PortMap ports, int attempts, Func<string> diagnostics, Action<ProbeResult>? each = null)
    {
        var results = new List<ProbeResult>();
        while (results.Count < attempts)
        {
            var result = await RunOnceAsync(ports);
            each?.Invoke(result);
            results.Add(result);
            if (result.Success)
            {
                return results;
            }

            await Task.Delay(Period);
        }

        Assert.Fail($"{Kind} failed {attempts} times (last: {results[^1].Detail}); the kubelet would restart the container.\n{diagnostics()}");
        return results;
    }

    public override string ToString() => $"{Kind} grpc :{Port} service \"{Service}\" every {Period.TotalSeconds:0.##} s, timeout {Timeout.TotalSeconds:0.##} s";
}

