using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Pipelines;
using Google.Protobuf;

namespace Mnist.Grpc.Wire;

/// <summary>
/// Length-prefixed gRPC messages on a byte stream: 1 flag byte (0 plain, 1 compressed), a 4-byte
/// big-endian length, the protobuf bytes. DATA frame boundaries are irrelevant: the reader buffers.
/// </summary>
internal static class MessageFraming
{
    /// <summary>Writes one uncompressed message; the caller flushes.</summary>
    public static void WriteMessage(IBufferWriter<byte> writer, IMessage message)
    {
        var size = message.CalculateSize();
        var span = writer.GetSpan(GrpcProtocol.MessagePrefixLength + size);
        span[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)size);
        message.WriteTo(span.Slice(GrpcProtocol.MessagePrefixLength, size));
        writer.Advance(GrpcProtocol.MessagePrefixLength + size);
    }

    /// <summary>
    /// Reads the next message, or null when the stream ended cleanly between messages. Violations
    /// throw <see cref="GrpcStatusException"/> with the status the protocol prescribes.
    /// </summary>
    public static async ValueTask<IMessage?> ReadMessageAsync(
        PipeReader reader, MessageParser parser, MessageReadLimits limits, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            bool complete;
            byte flag;
            ReadOnlySequence<byte> payload;
            try
            {
                complete = TryReadFrame(buffer, limits, out flag, out payload);
            }
            catch (GrpcStatusException)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                throw;
            }

            if (complete)
            {
                try
                {
                    return Parse(parser, flag, payload, limits);
                }
                finally
                {
                    reader.AdvanceTo(payload.End);
                }
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                reader.AdvanceTo(buffer.End);
                if (buffer.IsEmpty)
                {
                    return null;
                }

                throw new GrpcStatusException(StatusCode.Internal, "Incomplete message: the stream ended inside a length-prefixed message.");
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Reads to the end of the stream; true if nothing but the end was there.</summary>
    public static async ValueTask<bool> IsAtEndAsync(PipeReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var empty = result.Buffer.IsEmpty;
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            if (!empty)
            {
                return false;
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                return true;
            }
        }
    }

    private static bool TryReadFrame(ReadOnlySequence<byte> buffer, MessageReadLimits limits, out byte flag, out ReadOnlySequence<byte> payload)
    {
        flag = 0;
        payload = default;
        if (buffer.Length < GrpcProtocol.MessagePrefixLength)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[GrpcProtocol.MessagePrefixLength];
        buffer.Slice(0, GrpcProtocol.MessagePrefixLength).CopyTo(prefix);
        flag = prefix[0];
        if (flag > 1)
        {
            throw new GrpcStatusException(StatusCode.Internal, $"Invalid compressed-flag byte {flag} in the message prefix; allowed: 0 (uncompressed) or 1 (compressed).");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]);
        if (length > (uint)limits.MaxMessageSize)
        {
            // Decided from the prefix alone: the body is never buffered.
            throw new GrpcStatusException(StatusCode.ResourceExhausted, $"Received message of {length} bytes exceeds the limit of {limits.MaxMessageSize} bytes.");
        }

        if (buffer.Length - GrpcProtocol.MessagePrefixLength < length)
        {
            return false;
        }

        payload = buffer.Slice(GrpcProtocol.MessagePrefixLength, length);
        return true;
    }

    private static IMessage Parse(MessageParser parser, byte flag, ReadOnlySequence<byte> payload, MessageReadLimits limits)
    {
        if (flag == 1)
        {
            payload = Decompress(payload, limits);
        }

        try
        {
            return parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException exception)
        {
            throw new GrpcStatusException(StatusCode.Internal, $"Failed to parse the {limits.Direction} message: the bytes are not a valid protobuf encoding.", exception);
        }
    }

    private static ReadOnlySequence<byte> Decompress(ReadOnlySequence<byte> payload, MessageReadLimits limits)
    {
        var encoding = limits.Encoding;
        if (encoding is null || string.Equals(encoding, GrpcProtocol.IdentityEncoding, StringComparison.Ordinal))
        {
            throw new GrpcStatusException(StatusCode.Internal, $"A message is flagged compressed but the {GrpcProtocol.EncodingHeader} header names no compression.");
        }

        if (!string.Equals(encoding, GrpcProtocol.GzipEncoding, StringComparison.Ordinal))
        {
            throw new GrpcStatusException(StatusCode.Unimplemented, $"Unsupported {GrpcProtocol.EncodingHeader} '{encoding}'; supported: {GrpcProtocol.SupportedEncodings}.");
        }

        try
        {
            using var gzip = new GZipStream(new ReadOnlySequenceStream(payload), CompressionMode.Decompress);
            using var output = new MemoryStream();
            var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                int read;
                while ((read = gzip.Read(chunk, 0, chunk.Length)) > 0)
                {
                    if (output.Length + read > limits.MaxMessageSize)
                    {
                        throw new GrpcStatusException(StatusCode.ResourceExhausted, $"Decompressed message exceeds the limit of {limits.MaxMessageSize} bytes.");
                    }

                    output.Write(chunk, 0, read);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }

            return new ReadOnlySequence<byte>(output.GetBuffer(), 0, (int)output.Length);
        }
        catch (InvalidDataException exception)
        {
            throw new GrpcStatusException(StatusCode.Internal, $"Failed to decompress the {limits.Direction} message with gzip.", exception);
        }
    }
}
