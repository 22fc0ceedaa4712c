using Google.Protobuf;

namespace Mnist.Grpc.Transcoding;

/// <summary>The proto3 JSON parser and formatters of the transcoder.</summary>
internal static class TranscodingJson
{
    /// <summary>Rejects unknown fields: a misspelt key is a client bug worth a 400.</summary>
    public static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(false));

    public static readonly JsonFormatter WithDefaults = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static readonly JsonFormatter WithoutDefaults = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(false));
}
