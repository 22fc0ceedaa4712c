using System.Collections;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Mnist.Grpc.Wire;

namespace Mnist.Grpc.Transcoding;

/// <summary>Sets a (possibly nested) request field from path or query text, creating parent messages on the way.</summary>
internal static class RequestFieldWriter
{
    public static void Set(IMessage request, RequestFieldPath path, IReadOnlyList<string> values, string source)
    {
        var target = request;
        foreach (var parent in path.Fields.Take(path.Fields.Count - 1))
        {
            if (parent.Accessor.GetValue(target) is not IMessage child)
            {
                child = parent.MessageType.Parser.ParseFrom(ByteString.Empty);
                parent.Accessor.SetValue(target, child);
            }

            target = child;
        }

        var leaf = path.Leaf;
        if (leaf.IsRepeated)
        {
            var list = (IList)leaf.Accessor.GetValue(target);
            foreach (var value in values)
            {
                list.Add(FieldValueConverter.Convert(leaf, value, source));
            }

            return;
        }

        if (values.Count != 1)
        {
            throw new GrpcStatusException(StatusCode.InvalidArgument,
                $"{source} '{path.Name}' was given {values.Count} times; the field is not repeated, give it once.");
        }

        leaf.Accessor.SetValue(target, FieldValueConverter.Convert(leaf, values[0], source));
    }

    /// <summary>Whether query text can set the field: a scalar, string, bytes or enum, repeated or not, not a map.</summary>
    public static bool IsSettableFromText(FieldDescriptor field) =>
        !field.IsMap && field.FieldType is not (FieldType.Message or FieldType.Group);
}
