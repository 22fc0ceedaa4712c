using System.Globalization;
using Grpc.Core;

namespace Mnist.Inference.Grpc.Rest;

/// <summary>Reads the <c>{id}</c> of the hand-written routes; range checks stay with the service and the test set.</summary>
internal static class TestSampleId
{
    public static int Parse(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"test sample id '{text}' is not a number; ids are integers from 0 to 9999"));
}
