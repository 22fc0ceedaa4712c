using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Mnist.Grpc.Wire;

namespace Mnist.Grpc.Transcoding;

/// <summary>Converts path and query strings to the CLR value of a scalar, string, bytes or enum field.</summary>
internal static class FieldValueConverter
{
    private const NumberStyles Integer = NumberStyles.AllowLeadingSign;
    private const NumberStyles Real = NumberStyles.Float;

    /// <summary>The value, or INVALID_ARGUMENT naming <paramref name="source"/>, the text and the allowed form.</summary>
    public static object Convert(FieldDescriptor field, string text, string source)
    {
        var inv = CultureInfo.InvariantCulture;
        object? value = field.FieldType switch
        {
            FieldType.String => text,
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => int.TryParse(text, Integer, inv, out var i) ? i : null,
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => long.TryParse(text, Integer, inv, out var l) ? l : null,
            FieldType.UInt32 or FieldType.Fixed32 => uint.TryParse(text, NumberStyles.None, inv, out var u) ? u : null,
            FieldType.UInt64 or FieldType.Fixed64 => ulong.TryParse(text, NumberStyles.None, inv, out var ul) ? ul : null,
            FieldType.Bool => text switch { "true" => true, "false" => false, _ => null },
            FieldType.Float => ParseReal(text) is { } d && (double.IsInfinity(d) || double.IsNaN(d) || Math.Abs(d) <= float.MaxValue) ? (float)d : null,
            FieldType.Double => ParseReal(text),
            FieldType.Bytes => ParseBase64(text),
            FieldType.Enum => ParseEnum(field.EnumType, text),
            _ => throw new GrpcStatusException(StatusCode.InvalidArgument, $"{source} '{field.JsonName}' cannot be set from a string: it is a message or group."),
        };

        return value ?? throw new GrpcStatusException(StatusCode.InvalidArgument,
            $"{source} '{field.JsonName}' has the invalid value '{text}'; it must be {Describe(field)}.");
    }

    private static double? ParseReal(string text) => text switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        _ => double.TryParse(text, Real, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : null,
    };

    private static ByteString? ParseBase64(string text)
    {
        // proto3 JSON accepts standard and URL-safe base64, padded or not.
        var standard = text.Replace('-', '+').Replace('_', '/');
        standard = standard.PadRight(standard.Length + (4 - standard.Length % 4) % 4, '=');
        var buffer = new byte[standard.Length / 4 * 3];
        return System.Convert.TryFromBase64String(standard, buffer, out var written) ? ByteString.CopyFrom(buffer, 0, written) : null;
    }

    private static object? ParseEnum(EnumDescriptor type, string text)
    {
        var number = type.FindValueByName(text)?.Number
            ?? (int.TryParse(text, Integer, CultureInfo.InvariantCulture, out var n) ? n : (int?)null);
        return number is { } value ? Enum.ToObject(type.ClrType, value) : null;
    }

    private static string Describe(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => $"an integer from {int.MinValue} to {int.MaxValue}",
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => $"an integer from {long.MinValue} to {long.MaxValue}",
        FieldType.UInt32 or FieldType.Fixed32 => $"an integer from 0 to {uint.MaxValue}",
        FieldType.UInt64 or FieldType.Fixed64 => $"an integer from 0 to {ulong.MaxValue}",
        FieldType.Bool => "true or false",
        FieldType.Float => "a number within float range, NaN, Infinity or -Infinity",
        FieldType.Double => "a number, NaN, Infinity or -Infinity",
        FieldType.Bytes => "base64 (standard or URL-safe)",
        FieldType.Enum => $"one of {string.Join(", ", field.EnumType.Values.Select(v => v.Name))} or its number",
        _ => "a string",
    };
}
