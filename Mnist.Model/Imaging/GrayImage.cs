using System.Buffers;

namespace Mnist.Model.Imaging;

/// <summary>
/// A decoded 8-bit greyscale picture, row-major without padding, 0 = black. The pixels live in the decoder's own
/// buffer (no copy is made), which <see cref="Dispose"/> frees; do not use <see cref="Pixels"/> afterwards.
/// </summary>
public sealed class GrayImage : IDisposable
{
    private IDisposable? _owner;
    private readonly MemoryManager<byte> _bytes;

    internal GrayImage(int width, int height, IDisposable owner, MemoryManager<byte> bytes)
    {
        Width = width;
        Height = height;
        _owner = owner;
        _bytes = bytes;
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
            ObjectDisposedException.ThrowIf(_owner is null, this);
            return _bytes.GetSpan()[..(Width * Height)];
        }
    }

    /// <summary>Frees the decoder's buffer.</summary>
    public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Dispose();
}
