using System.Runtime.InteropServices;

namespace Mnist.Model.Imaging;

/// <summary>
/// The TurboJPEG 2 API (libjpeg-turbo 2.1 in Debian 12 has no tj3* functions). Its calls trap libjpeg's
/// error_exit with their own setjmp and return -1, with the message in <see cref="GetErrorStr2"/>.
/// </summary>
internal static unsafe partial class TurboJpeg
{
    public const string Library = "libturbojpeg.so.0";

    // TJPF_GRAY, TJCS_CMYK / TJCS_YCCK and TJFLAG_* from turbojpeg.h.
    public const int PixelFormatGray = 6;
    public const int ColorspaceCmyk = 3;
    public const int ColorspaceYcck = 4;
    public const int FlagStopOnWarning = 8192;
    public const int FlagLimitScans = 32768;

    [LibraryImport(Library, EntryPoint = "tjInitDecompress")]
    public static partial nint InitDecompress();

    [LibraryImport(Library, EntryPoint = "tjDecompressHeader3")]
    public static partial int DecompressHeader3(
        nint handle, byte* jpegBuf, CULong jpegSize, out int width, out int height, out int subsampling, out int colorspace);

    [LibraryImport(Library, EntryPoint = "tjDecompress2")]
    public static partial int Decompress2(
        nint handle, byte* jpegBuf, CULong jpegSize, byte* dstBuf, int width, int pitch, int height, int pixelFormat, int flags);

    [LibraryImport(Library, EntryPoint = "tjGetErrorStr2")]
    public static partial nint GetErrorStr2(nint handle);

    [LibraryImport(Library, EntryPoint = "tjDestroy")]
    public static partial int Destroy(nint handle);

    public static string ErrorText(nint handle) => Marshal.PtrToStringUTF8(GetErrorStr2(handle)) ?? "no detail";
}
