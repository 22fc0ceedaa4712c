using System.Runtime.CompilerServices;

namespace Mnist.Grpc.Server;

/// <summary>Adapts <see cref="IAsyncStreamReader{T}"/> to <c>await foreach</c>.</summary>
public static class AsyncStreamReaderExtensions
{
    /// <summary>Yields every remaining request message.</summary>
    public static async IAsyncEnumerable<T> ReadAllAsync<T>(
        this IAsyncStreamReader<T> reader, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        while (await reader.MoveNextAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return reader.Current;
        }
    }
}
