using System.Runtime.InteropServices;

namespace Mnist.Model.Imaging;

/// <summary>
/// libpng's simplified read API. Its functions catch libpng's internal longjmp themselves and report failure
/// through the return value and <see cref="PngImage.Message"/>, so no native error escapes into managed frames.
/// </summary>
internal static unsafe partial class LibPng
{
    public const string Library = "libpng16.so.16";

    // PNG_FORMAT_FLAG_* from png.h.
    public const uint FormatFlagAlpha = 0x01;
    public const uint FormatFlagColor = 0x02;

    /// <summary>Parses the header; libpng keeps <paramref name="memory"/> until finish/free, so it must stay pinned.</summary>
    [LibraryImport(Library, EntryPoint = "png_image_begin_read_from_memory")]
    public static partial int ImageBeginReadFromMemory(ref PngImage image, byte* memory, nuint size);

    /// <summary>Decodes into <paramref name="buffer"/> in <see cref="PngImage.Format"/>, then frees libpng's state.</summary>
    [LibraryImport(Library, EntryPoint = "png_image_finish_read")]
    public static partial int ImageFinishRead(ref PngImage image, void* background, byte* buffer, int rowStride, void* colormap);

    /// <summary>Frees libpng's state; safe to call at any time, including after finish or failure.</summary>
    [LibraryImport(Library, EntryPoint = "png_image_free")]
    public static partial void ImageFree(ref PngImage image);
}
