using Google.Protobuf;
using Mnist.Grpc.Wire;

namespace Mnist.Grpc.Server.CallHandlers;

/// <summary>Reads the single request message of unary and server-streaming calls, enforcing the cardinality.</summary>
internal static class RequestReading
{
    public static async Task<TRequest> ReadSingleAsync<TRequest>(ServerCall call, MessageParser parser)
        where TRequest : class
    {
        var reader = call.Request.BodyReader;
        var token = call.Context.CancellationToken;
        var message = await MessageFraming.ReadMessageAsync(reader, parser, call.ReadLimits, token).ConfigureAwait(false)
            ?? throw new GrpcStatusException(StatusCode.Internal, "The request ended without a message; this method takes exactly one.");
        if (!await MessageFraming.IsAtEndAsync(reader, token).ConfigureAwait(false))
        {
            throw new GrpcStatusException(StatusCode.Internal, "Additional data after the request message; this method takes exactly one.");
        }

        return (TRequest)message;
    }
}
