using System.Buffers;
using System.Runtime.InteropServices;

namespace Mnist.Model.Imaging;

/// <summary>An image's own pixel memory seen as bytes, so a decoded picture is read (and flattened) where it lies.</summary>
internal sealed class PixelBytes<TPixel>(Memory<TPixel> pixels) : MemoryManager<byte>
    where TPixel : unmanaged
{
    public override Span<byte> GetSpan() => MemoryMarshal.AsBytes(pixels.Span);

    // Nothing here hands the memory to native code.
    public override MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException();

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
    }
}
