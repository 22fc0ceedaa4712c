namespace Mnist.Grpc.Server;

/// <summary>
/// Lets the host drain: once <see cref="BeginDraining"/> is called, new calls get UNAVAILABLE while
/// calls in flight finish. <c>AddGrpcWire</c> calls it on ApplicationStopping.
/// </summary>
public interface IGrpcServerLifecycle
{
    /// <summary>True once the server refuses new calls.</summary>
    bool IsDraining { get; }

    /// <summary>Refuses every new call with UNAVAILABLE from now on.</summary>
    void BeginDraining();
}
