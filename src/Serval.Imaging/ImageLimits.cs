namespace Serval.Imaging;

/// <summary>
/// What <see cref="ImageDecoder"/> refuses to decode. The size is checked from the image's header,
/// before any pixel memory is allocated, so a small file claiming a huge picture costs nothing.
/// </summary>
public sealed record ImageLimits
{
    /// <summary>The limits used when none are given.</summary>
    public static ImageLimits Default { get; } = new();

    /// <summary>
    /// The most pixels (width × height) a decoded image may have. Default 40 000 000: a 48-megapixel
    /// phone photo is refused, a 12-megapixel one (4032 × 3024) or an A4 page scanned at 600 dpi
    /// (4960 × 7016 = 34.8 M) passes; the decoded RGB needs 3 bytes per pixel, so at most 120 MB, and
    /// Skia's RGBA output 4 more while the decode runs (160 MB, rented from the array pool).
    /// </summary>
    public long MaxPixels { get; init; } = 40_000_000;
}
