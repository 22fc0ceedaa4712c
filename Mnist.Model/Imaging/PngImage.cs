using System.Runtime.InteropServices;
using System.Text;

namespace Mnist.Model.Imaging;

/// <summary>libpng's <c>png_image</c> control structure for the simplified API (png.h, PNG_IMAGE_VERSION 1).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct PngImage
{
    public const uint Version1 = 1;

    public nint Opaque;
    public uint Version;
    public uint Width;
    public uint Height;
    public uint Format;
    public uint Flags;
    public uint ColormapEntries;
    public uint WarningOrError;
    public fixed byte Message[64];

    /// <summary>PNG_IMAGE_FAILED: the low two bits hold 2 (error) or 3 (error after a warning).</summary>
    public readonly bool Failed => (WarningOrError & 0x03) > 1;

    public readonly string MessageText
    {
        get
        {
            fixed (byte* message = Message)
            {
                var text = new ReadOnlySpan<byte>(message, 64);
                var end = text.IndexOf((byte)0);
                return Encoding.ASCII.GetString(end < 0 ? text : text[..end]);
            }
        }
    }
}
