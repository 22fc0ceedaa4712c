using Mnist.Inference.Grpc.Errors;
using Grpc.Core;
using Mnist.Inference.Grpc.Draining;

namespace Mnist.Inference.Grpc.Rest;

/// <summary>
/// The one place a hand-written HTTP route turns a failure into a response: a gRPC status or a refused request
/// becomes its <see cref="JsonError"/>; anything else is logged and answered 500 without its text. Calls are
/// counted by the drain like gRPC calls, and refused with 503 once it has begun.
/// </summary>
internal sealed class RestErrorBoundary(ServerDrain drain, ILogger logger)
{
    public async Task RunAsync(HttpContext context, string route, Func<Task> endpoint)
    {
        if (!drain.TryEnter())
        {
            var refused = Statuses.ShuttingDown().Status;
            await JsonError.WriteAsync(context, refused.StatusCode, refused.Detail);
            return;
        }

        try
        {
            await endpoint();
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client is gone: nobody reads a status.
        }
        catch (RpcException e)
        {
            RestLog.CallFailed(logger, route, e.StatusCode, e.Status.Detail);
            await JsonError.WriteAsync(context, e.StatusCode, e.Status.Detail);
        }
        catch (RequestRejectedException e)
        {
            RestLog.CallFailed(logger, route, e.Code, e.Message);
            await JsonError.WriteAsync(context, e.Code, e.Message, e.HttpStatus);
        }
        catch (BadHttpRequestException e)
        {
            RestLog.CallFailed(logger, route, StatusCode.InvalidArgument, e.Message);
            await JsonError.WriteAsync(context, StatusCode.InvalidArgument, "The HTTP request is malformed.", e.StatusCode);
        }
        catch (Exception e)
        {
            RestLog.HandlerFailed(logger, route, e);
            await JsonError.WriteAsync(context, StatusCode.Unknown, "Exception was thrown by handler.");
        }
        finally
        {
            drain.Exit();
        }
    }
}
