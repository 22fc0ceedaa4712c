using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Reflection.V1;
using Mnist.Grpc.Wire;

namespace Mnist.Grpc.Reflection;

/// <summary>
/// Answers one reflection request of one stream (v1 message types; v1alpha is byte-identical).
/// Files go out requested-first with their imports, each import only once per stream.
/// </summary>
internal sealed class ReflectionResponder(ReflectionSymbolIndex index, IReadOnlyList<string> serviceNames)
{
    private readonly HashSet<string> _sentFiles = new(StringComparer.Ordinal);

    public ServerReflectionResponse Answer(ServerReflectionRequest request)
    {
        var response = new ServerReflectionResponse { ValidHost = request.Host, OriginalRequest = request };
        switch (request.MessageRequestCase)
        {
            case ServerReflectionRequest.MessageRequestOneofCase.ListServices:
                var list = new ListServiceResponse();
                foreach (var name in serviceNames)
                {
                    list.Service.Add(new ServiceResponse { Name = name });
                }

                response.ListServicesResponse = list;
                break;

            case ServerReflectionRequest.MessageRequestOneofCase.FileByFilename:
                SetFile(response, index.TryGetFile(request.FileByFilename, out var byName) ? byName : null, $"File not found: {request.FileByFilename}");
                break;

            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingSymbol:
                SetFile(response, index.TryGetFileContainingSymbol(request.FileContainingSymbol, out var bySymbol) ? bySymbol : null, $"Symbol not found: {request.FileContainingSymbol}");
                break;

            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingExtension:
                var extension = request.FileContainingExtension;
                SetFile(
                    response,
                    index.TryGetFileContainingExtension(extension.ContainingType, extension.ExtensionNumber, out var byExtension) ? byExtension : null,
                    $"Extension not found: {extension.ContainingType} field {extension.ExtensionNumber}");
                break;

            case ServerReflectionRequest.MessageRequestOneofCase.AllExtensionNumbersOfType:
                var type = request.AllExtensionNumbersOfType;
                if (index.TryGetExtensionNumbers(type, out var numbers))
                {
                    var numbersResponse = new ExtensionNumberResponse { BaseTypeName = type.TrimStart('.') };
                    numbersResponse.ExtensionNumber.Add(numbers);
                    response.AllExtensionNumbersResponse = numbersResponse;
                }
                else
                {
                    SetError(response, StatusCode.NotFound, $"Type not found: {type}");
                }

                break;

            default:
                SetError(response, StatusCode.InvalidArgument, "The request sets none of file_by_filename, file_containing_symbol, file_containing_extension, all_extension_numbers_of_type, list_services.");
                break;
        }

        return response;
    }

    private void SetFile(ServerReflectionResponse response, FileDescriptor? file, string notFound)
    {
        if (file is null)
        {
            SetError(response, StatusCode.NotFound, notFound);
            return;
        }

        var files = new FileDescriptorResponse();
        files.FileDescriptorProto.Add(file.SerializedData);
        _sentFiles.Add(file.Name);
        AddDependencies(file, files);
        response.FileDescriptorResponse = files;
    }

    private void AddDependencies(FileDescriptor file, FileDescriptorResponse files)
    {
        foreach (var dependency in file.Dependencies)
        {
            if (_sentFiles.Add(dependency.Name))
            {
                files.FileDescriptorProto.Add(dependency.SerializedData);
                AddDependencies(dependency, files);
            }
        }
    }

    private static void SetError(ServerReflectionResponse response, StatusCode code, string message) =>
        response.ErrorResponse = new ErrorResponse { ErrorCode = (int)code, ErrorMessage = message };
}
