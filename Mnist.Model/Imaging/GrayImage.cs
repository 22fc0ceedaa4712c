using System.Buffers;

namespace Mnist.Model.Imaging;

/// <summary>
/// A decoded 8-bit greyscale picture, row-major without padding, 0 = black. The pixels live in a pooled buffer
/// that <see cref="Dispose"/> returns; do not use <see cref="Pixels"/> afterwards.
/// </summary>
public sealed class GrayImage : IDisposable
{
    private byte[]? _buffer;

    internal GrayImage(int width, int height, byte[] pooledBuffer)
    {
        Width = width;
        Height = height;
        _buffer = pooledBuffer;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The <see cref="Width"/> x <see cref="Height"/> grey levels, row by row.</summary>
    /// <exception cref="ObjectDisposedException">The image was disposed.</exception>
    public ReadOnlySpan<byte> Pixels
    {
        get
        {
            ObjectDisposedException.ThrowIf(_buffer is null, this);
            return _buffer.AsSpan(0, Width * Height);
        }
    }

    /// <summary>Returns the pixel buffer to the pool.</summary>
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
