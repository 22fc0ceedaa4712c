using ScottPlot;
using SkiaSharp;

namespace Mnist.Training.Plots;

/// <summary>
/// The plots' one font, DejaVu Sans, shipped inside this assembly: the trainer's image and the Debian userland have
/// no system fonts, and SkiaSharp without a font draws no text at all (axes without numbers).
/// </summary>
internal sealed class EmbeddedFont : IFontResolver
{
    public const string Name = "DejaVu Sans";

    private static readonly Lazy<SKData> s_data = new(Load);

    public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) => Create(fontName);

    public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) => Create(fontName);

    private static SKTypeface? Create(string fontName) =>
        string.Equals(fontName, Name, StringComparison.OrdinalIgnoreCase) ? SKTypeface.FromData(s_data.Value) : null;

    private static SKData Load()
    {
        using var stream = typeof(EmbeddedFont).Assembly.GetManifestResourceStream("Plots/Fonts/DejaVuSans.ttf")
            ?? throw new InvalidOperationException("Mnist.Training has no embedded Plots/Fonts/DejaVuSans.ttf; the build is broken.");
        return SKData.Create(stream);
    }
}
