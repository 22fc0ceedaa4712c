using System.Globalization;
using Mnist.Cli.Calls;

namespace Mnist.Cli.Input;

/// <summary>
/// Reads one image the user named (a path, or <c>-</c> for standard input) and checks what can be checked
/// locally, so a typo or a wrong file fails fast with a precise message and never costs a call.
/// </summary>
internal static class ImageFile
{
    public const string StandardInput = "-";

    /// <summary>What one request can carry to a server with gRPC's default 4 MiB message limit (less framing).</summary>
    public const int MaxBytes = 4 * 1024 * 1024 - 16;

    /// <summary>The file's bytes, or the reason it cannot be sent (exit code 4).</summary>
    public static async Task<(byte[]? Bytes, Failure? Failure)> ReadAsync(string name, Func<Stream> openStandardInput, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            if (name == StandardInput)
            {
                bytes = await ReadLimitedAsync(openStandardInput(), cancellationToken).ConfigureAwait(false) ?? [];
                if (bytes.Length > MaxBytes)
                {
                    return (null, Bad(name, $"standard input has more than {Mebibytes(MaxBytes)}; images up to {Mebibytes(MaxBytes)} are accepted"));
                }
            }
            else
            {
                if (Directory.Exists(name))
                {
                    return (null, Bad(name, "is a directory"));
                }

                var length = new FileInfo(name).Length;
                if (length > MaxBytes)
                {
                    return (null, Bad(name, $"the file has {Mebibytes(length)}; images up to {Mebibytes(MaxBytes)} are accepted"));
                }

                bytes = await File.ReadAllBytesAsync(name, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, Bad(name, Describe(e), e));
        }

        return CheckFormat(name, bytes) is { } failure ? (null, failure) : (bytes, null);
    }

    // Whether the bytes are a PNG or JPEG it can decode is the server's to say (a signature check here would pass
    // a corrupt file); its INVALID_ARGUMENT is then this file's fault, exit 4 all the same.
    private static Failure? CheckFormat(string name, byte[] bytes) => bytes.Length == 0
        ? Bad(name, name == StandardInput ? "standard input is empty; pipe an image into it" : "the file is empty")
        : null;

    private static async Task<byte[]?> ReadLimitedAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBytes)
            {
                break;
            }
        }

        return buffer.ToArray();
    }

    private static string Describe(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file or directory",
        UnauthorizedAccessException => "permission denied",
        _ => e.Message,
    };

    private static Failure Bad(string name, string reason, Exception? cause = null) =>
        new(ExitCodes.BadInput, $"{name}: {reason}", cause);

    private static string Mebibytes(long bytes) =>
        (bytes / (1024.0 * 1024.0)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB";
}
