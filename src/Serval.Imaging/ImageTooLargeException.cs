namespace Serval.Imaging;

/// <summary>
/// The image's header declares more pixels than <see cref="ImageLimits.MaxPixels"/> allows.
/// Thrown before any pixel memory is allocated.
/// </summary>
public sealed class ImageTooLargeException : ImageFormatException
{
    /// <summary>An error for a <paramref name="width"/> × <paramref name="height"/> image over <paramref name="maxPixels"/>.</summary>
    public ImageTooLargeException(string format, long width, long height, long maxPixels)
        : base($"the {format} image is {width}×{height} = {width * height} pixels, more than the limit of {maxPixels} (ImageLimits.MaxPixels)")
    {
        Width = width;
        Height = height;
        MaxPixels = maxPixels;
    }

    /// <summary>The width the header declares.</summary>
    public long Width { get; }

    /// <summary>The height the header declares.</summary>
    public long Height { get; }

    /// <summary>The limit that was exceeded.</summary>
    public long MaxPixels { get; }

    /// <summary>Throws when a <paramref name="width"/> × <paramref name="height"/> image is over the limit.</summary>
    internal static void ThrowIfOver(string format, long width, long height, ImageLimits limits)
    {
        // A .NET array holds at most Array.MaxLength bytes, and Skia decodes 4 per pixel (RGBA) before
        // the RGB copy, whatever the limit says: at most 536 870 911 pixels.
        long max = Math.Min(limits.MaxPixels, Array.MaxLength / 4);
        if (width * height > max)
        {
            throw new ImageTooLargeException(format, width, height, max);
        }
    }
}
