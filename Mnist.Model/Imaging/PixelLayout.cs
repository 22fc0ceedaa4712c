namespace Mnist.Model.Imaging;

/// <summary>Interleaved 8-bit channels: G, GA, RGB or RGBA.</summary>
internal readonly record struct PixelLayout(bool Color, bool Alpha)
{
    public int Channels => (Color ? 3 : 1) + (Alpha ? 1 : 0);

    public int AlphaOffset => Color ? 3 : 1;
}
