using Mnist.Inference.Grpc.Errors;
using System.Globalization;

namespace Mnist.Inference.Grpc.Rest;

/// <summary>Reads the <c>{id}</c> of the hand-written routes; range checks stay with the service and the test set.</summary>
internal static class TestSampleId
{
    public static int Parse(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw Statuses.TestSampleNotANumber(text);
}
