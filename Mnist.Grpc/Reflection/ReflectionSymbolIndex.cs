using System.Diagnostics.CodeAnalysis;
using Google.Protobuf.Reflection;

namespace Mnist.Grpc.Reflection;

/// <summary>
/// Every file reachable from the exposed services (transitive imports included), indexed by file
/// name, by fully-qualified symbol (services, methods, messages, fields, oneofs, enums, values,
/// extensions) and extensions by the type they extend.
/// </summary>
internal sealed class ReflectionSymbolIndex
{
    private readonly Dictionary<string, FileDescriptor> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileDescriptor> _symbols = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileDescriptor> _messages = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Type, int Number), FileDescriptor> _extensions = [];

    public ReflectionSymbolIndex(IEnumerable<ServiceDescriptor> services)
    {
        foreach (var service in services)
        {
            AddFile(service.File);
        }
    }

    public bool TryGetFile(string name, [NotNullWhen(true)] out FileDescriptor? file) => _files.TryGetValue(name, out file);

    public bool TryGetFileContainingSymbol(string symbol, [NotNullWhen(true)] out FileDescriptor? file) =>
        _symbols.TryGetValue(symbol.TrimStart('.'), out file);

    public bool TryGetFileContainingExtension(string type, int number, [NotNullWhen(true)] out FileDescriptor? file) =>
        _extensions.TryGetValue((type.TrimStart('.'), number), out file);

    /// <summary>The extension numbers of a known message type (possibly none); false if the type is unknown.</summary>
    public bool TryGetExtensionNumbers(string type, [NotNullWhen(true)] out List<int>? numbers)
    {
        type = type.TrimStart('.');
        if (!_messages.ContainsKey(type))
        {
            numbers = null;
            return false;
        }

        numbers = [];
        foreach (var key in _extensions.Keys)
        {
            if (key.Type == type)
            {
                numbers.Add(key.Number);
            }
        }

        numbers.Sort();
        return true;
    }

    private void AddFile(FileDescriptor file)
    {
        if (!_files.TryAdd(file.Name, file))
        {
            return;
        }

        foreach (var dependency in file.Dependencies)
        {
            AddFile(dependency);
        }

        foreach (var service in file.Services)
        {
            _symbols.TryAdd(service.FullName, file);
            foreach (var method in service.Methods)
            {
                _symbols.TryAdd(method.FullName, file);
            }
        }

        foreach (var message in file.MessageTypes)
        {
            AddMessage(message, file);
        }

        foreach (var enumType in file.EnumTypes)
        {
            AddEnum(enumType, file);
        }

        foreach (var extension in file.Extensions.UnorderedExtensions)
        {
            AddExtension(extension, file);
        }
    }

    private void AddMessage(MessageDescriptor message, FileDescriptor file)
    {
        _symbols.TryAdd(message.FullName, file);
        _messages.TryAdd(message.FullName, file);
        foreach (var field in message.Fields.InDeclarationOrder())
        {
            _symbols.TryAdd(field.FullName, file);
        }

        foreach (var oneof in message.Oneofs)
        {
            _symbols.TryAdd(oneof.FullName, file);
        }

        foreach (var nested in message.NestedTypes)
        {
            AddMessage(nested, file);
        }

        foreach (var enumType in message.EnumTypes)
        {
            AddEnum(enumType, file);
        }

        foreach (var extension in message.Extensions.UnorderedExtensions)
        {
            AddExtension(extension, file);
        }
    }

    private void AddEnum(EnumDescriptor enumType, FileDescriptor file)
    {
        _symbols.TryAdd(enumType.FullName, file);
        // protoc scopes enum values as siblings of their enum (C++ scoping rules).
        var scope = enumType.FullName[..Math.Max(0, enumType.FullName.LastIndexOf('.'))];
        foreach (var value in enumType.Values)
        {
            _symbols.TryAdd(scope.Length == 0 ? value.Name : $"{scope}.{value.Name}", file);
            _symbols.TryAdd($"{enumType.FullName}.{value.Name}", file);
        }
    }

    private void AddExtension(FieldDescriptor extension, FileDescriptor file)
    {
        _symbols.TryAdd(extension.FullName, file);
        _extensions.TryAdd((extension.ExtendeeType.FullName, extension.FieldNumber), file);
    }
}
