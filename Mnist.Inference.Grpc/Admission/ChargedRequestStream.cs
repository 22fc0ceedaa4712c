using Mnist.Inference.Grpc.Errors;
namespace Mnist.Inference.Grpc.Admission;

/// <summary>
/// A request body of unknown length (chunked, or HTTP/2 without content-length, as grpcio sends) charged to the
/// <see cref="AdmissionGate"/> as it is read: its reader keeps what it has read until the message is whole. Over the
/// bound, the read fails with RESOURCE_EXHAUSTED and the call ends with it.
/// </summary>
internal sealed class ChargedRequestStream(Stream inner, AdmissionGate gate, long limit) : Stream
{
    /// <summary>The bytes charged so far, to be freed when the call ends.</summary>
    public long Charged { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Charge(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Charge(inner.Read(buffer));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Charge(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Charge(await inner.ReadAsync(buffer, cancellationToken));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Charge(int read)
    {
        if (read > 0)
        {
            if (!gate.TryReserve(read, Charged))
            {
                throw Statuses.TooManyRequestBytes(limit);
            }

            Charged += read;
        }

        return read;
    }
}
