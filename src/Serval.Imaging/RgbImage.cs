namespace Serval.Imaging;

/// <summary>
/// An 8-bit RGB picture: <see cref="Pixels"/> holds <see cref="Height"/> rows of
/// <see cref="Width"/> pixels, three bytes each (R, G, B), row after row with no padding.
/// </summary>
public sealed class RgbImage
{
    /// <summary>Wraps <paramref name="pixels"/> (length <c>width × height × 3</c>).</summary>
    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (pixels.Length != (long)width * height * 3)
        {
            throw new ArgumentException($"a {width}×{height} RGB image has {(long)width * height * 3} bytes, not {pixels.Length}", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>A black picture of the given size.</summary>
    public RgbImage(int width, int height)
        : this(width, height, new byte[checked(width * height * 3)])
    {
    }

    /// <summary>Pixels per row.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>R, G, B bytes, row-major.</summary>
    public byte[] Pixels { get; }

    /// <summary>The offset of pixel (<paramref name="x"/>, <paramref name="y"/>)'s red byte in <see cref="Pixels"/>.</summary>
    public int Offset(int x, int y) => ((y * Width) + x) * 3;
}
