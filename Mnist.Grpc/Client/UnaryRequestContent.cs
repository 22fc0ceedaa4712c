using System.Buffers;
using System.Net;
using Google.Protobuf;
using Mnist.Grpc.Wire;

namespace Mnist.Grpc.Client;

/// <summary>The body of a unary or server-streaming call: one length-prefixed message, serialized into a pooled buffer.</summary>
internal sealed class UnaryRequestContent : HttpContent
{
    private readonly IMessage _message;

    public UnaryRequestContent(IMessage message)
    {
        _message = message;
        Headers.TryAddWithoutValidation("Content-Type", GrpcProtocol.ContentType);
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var length = GrpcProtocol.MessagePrefixLength + _message.CalculateSize();
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var writer = new FixedBufferWriter(buffer);
            MessageFraming.WriteMessage(writer, _message);
            await stream.WriteAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    private sealed class FixedBufferWriter(byte[] buffer) : IBufferWriter<byte>
    {
        private int _written;

        public void Advance(int count) => _written += count;

        public Memory<byte> GetMemory(int sizeHint = 0) => buffer.AsMemory(_written);

        public Span<byte> GetSpan(int sizeHint = 0) => buffer.AsSpan(_written);
    }
}
