using Grpc.Core;

namespace Mnist.Tests;

/// <summary>The status a gRPC call ended with, OK included, for tests that count outcomes.</summary>
internal static class GrpcOutcome
{
    public static async Task<StatusCode> StatusOfAsync(Task call)
    {
        try
        {
            await call;
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }
}
