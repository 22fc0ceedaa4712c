namespace Mnist.Grpc.Server;

internal sealed class GrpcServerLifecycle : IGrpcServerLifecycle
{
    private volatile bool _draining;

    public bool IsDraining => _draining;

    public void BeginDraining() => _draining = true;
}
