using Microsoft.AspNetCore.Routing.Matching;

namespace Mnist.Inference.Grpc.Routing;

/// <summary>
/// Keeps gRPC and REST on their own ports by the port the connection was accepted on, not by the Host header
/// (RequireHost): behind a published container port, a port-forward or a Service whose port differs from the
/// container's, the client's Host names another port than the one Kestrel listens on.
/// </summary>
internal sealed class LocalPortMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    // Where HostMatcherPolicy would run: after the path and the HTTP method have been matched.
    public override int Order => -100;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(endpoint => endpoint.Metadata.GetMetadata<LocalPortMetadata>() is not null);

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var port = httpContext.Connection.LocalPort;
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates.IsValidCandidate(i) && candidates[i].Endpoint.Metadata.GetMetadata<LocalPortMetadata>() is { } only && !only.Allows(port))
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}
