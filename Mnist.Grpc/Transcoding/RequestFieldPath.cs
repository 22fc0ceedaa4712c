using Google.Protobuf.Reflection;

namespace Mnist.Grpc.Transcoding;

/// <summary>
/// A dotted path to a request field (<c>a.b</c>), resolved against the message descriptors; each part may be
/// the proto name or the JSON (lowerCamelCase) name.
/// </summary>
internal sealed class RequestFieldPath
{
    private RequestFieldPath(IReadOnlyList<FieldDescriptor> fields) => Fields = fields;

    /// <summary>The fields from the request's top level down to the leaf.</summary>
    public IReadOnlyList<FieldDescriptor> Fields { get; }

    public FieldDescriptor Leaf => Fields[^1];

    public FieldDescriptor Root => Fields[0];

    /// <summary>The proto names joined with dots, for messages.</summary>
    public string Name => string.Join('.', Fields.Select(f => f.Name));

    public static bool TryResolve(MessageDescriptor message, IEnumerable<string> parts, out RequestFieldPath? path)
    {
        path = null;
        var fields = new List<FieldDescriptor>();
        MessageDescriptor? current = message;
        foreach (var part in parts)
        {
            if (current is null)
            {
                return false;
            }

            var field = current.FindFieldByName(part) ?? current.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == part);
            if (field is null)
            {
                return false;
            }

            fields.Add(field);
            current = field.FieldType == FieldType.Message && !field.IsRepeated && !field.IsMap ? field.MessageType : null;
        }

        path = fields.Count > 0 ? new RequestFieldPath(fields) : null;
        return path is not null;
    }

    public static RequestFieldPath Resolve(MessageDescriptor message, IReadOnlyList<string> parts, string usage) =>
        TryResolve(message, parts, out var path) ? path!
            : throw new InvalidOperationException($"{usage}: {message.FullName} has no field '{string.Join('.', parts)}'.");
}
