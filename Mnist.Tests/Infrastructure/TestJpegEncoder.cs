using System.Runtime.InteropServices;

namespace Mnist.Tests;

/// <summary>Encodes test pictures with TurboJPEG's tjCompress2 (the product only decodes).</summary>
internal static unsafe partial class TestJpegEncoder
{
    private const string Library = "libturbojpeg.so.0";
    private const int PixelFormatRgb = 0, PixelFormatGray = 6, PixelFormatCmyk = 11;
    private const int Subsampling444 = 0, Subsampling420 = 2, SubsamplingGray = 3;

    public static byte[] EncodeGray(ReadOnlySpan<byte> pixels, int width, int height, int quality = 90) =>
        Encode(pixels, width, height, PixelFormatGray, SubsamplingGray, quality);

    public static byte[] EncodeRgb(ReadOnlySpan<byte> pixels, int width, int height, int quality = 90, bool subsample = true) =>
        Encode(pixels, width, height, PixelFormatRgb, subsample ? Subsampling420 : Subsampling444, quality);

    public static byte[] EncodeCmyk(ReadOnlySpan<byte> pixels, int width, int height) =>
        Encode(pixels, width, height, PixelFormatCmyk, Subsampling444, 90);

    private static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, int pixelFormat, int subsampling, int quality)
    {
        var handle = InitCompress();
        try
        {
            byte* jpeg = null;
            CULong size = default;
            fixed (byte* source = pixels)
            {
                var pitch = pixels.Length / height;
                if (Compress2(handle, source, width, pitch, height, pixelFormat, &jpeg, &size, subsampling, quality, 0) != 0)
                {
                    throw new InvalidOperationException("tjCompress2 failed: " + Marshal.PtrToStringUTF8(GetErrorStr2(handle)));
                }
            }

            var result = new ReadOnlySpan<byte>(jpeg, (int)size.Value).ToArray();
            Free(jpeg);
            return result;
        }
        finally
        {
            _ = Destroy(handle);
        }
    }

    [LibraryImport(Library, EntryPoint = "tjInitCompress")]
    private static partial nint InitCompress();

    [LibraryImport(Library, EntryPoint = "tjCompress2")]
    private static partial int Compress2(
        nint handle, byte* source, int width, int pitch, int height, int pixelFormat,
        byte** jpeg, CULong* jpegSize, int subsampling, int quality, int flags);

    [LibraryImport(Library, EntryPoint = "tjFree")]
    private static partial void Free(byte* buffer);

    [LibraryImport(Library, EntryPoint = "tjGetErrorStr2")]
    private static partial nint GetErrorStr2(nint handle);

    [LibraryImport(Library, EntryPoint = "tjDestroy")]
    private static partial int Destroy(nint handle);
}
