using System.Buffers;
using Serval.Imaging.Containers;
using Serval.Imaging.Exif;
using SkiaSharp;

namespace Serval.Imaging;

/// <summary>
/// Decodes PNG, JPEG and WebP images into <see cref="RgbImage"/> with Skia's codecs (libpng,
/// libjpeg-turbo, libwebp through SkiaSharp). The format is found from the data's first bytes, not from
/// a file name or content type; other formats Skia knows (GIF, BMP…) are refused.
/// </summary>
/// <remarks>
/// Before Skia sees the data, a walk over its container (PNG chunks, JPEG markers, WebP's RIFF
/// chunks; no pixel is decoded) refuses damage with a message naming the chunk or segment and the
/// byte, as Skia's codecs only say what kind of failure they met. The size is read from the header
/// (<c>SKCodec.Info</c>) and checked against <see cref="ImageLimits"/> before any pixel is decoded.
/// The samples are used as stored, without colour management (no ICC profile, gAMA or cHRM is
/// applied). Transparency is composited over white, as a page is white under a transparent scan;
/// 16-bit PNG samples are reduced to 8 bits by Skia (within 1 of round(v / 257)); an animated WebP
/// gives its first frame. The EXIF orientation (JPEG APP1, PNG eXIf, WebP EXIF; tag 0x0112, which
/// phones write) is applied, so the picture comes out upright as a viewer shows it.
/// </remarks>
public static class ImageDecoder
{
    /// <summary>Decodes <paramref name="data"/> with <see cref="ImageLimits.Default"/>.</summary>
    /// <exception cref="ImageFormatException">The data is not a PNG, JPEG or WebP image that decodes; the message says why.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> data) => Decode(data, ImageLimits.Default);

    /// <summary>Decodes <paramref name="data"/>, a PNG, JPEG or WebP image, into 8-bit RGB.</summary>
    /// <exception cref="ImageTooLargeException">The header declares more pixels than <paramref name="limits"/> allow.</exception>
    /// <exception cref="ImageFormatException">The data is not a PNG, JPEG or WebP image that decodes; the message says why.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> data, ImageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limits.MaxPixels, nameof(limits) + "." + nameof(ImageLimits.MaxPixels));
        if (data.IsEmpty)
        {
            throw new ImageFormatException("the image data is empty (0 bytes)");
        }

        EncodedFormat format = EncodedFormats.Identify(data);
        ContainerFacts facts = format switch
        {
            EncodedFormat.Png => PngContainer.Check(data),
            EncodedFormat.Jpeg => JpegContainer.Check(data),
            _ => WebPContainer.Check(data),
        };
        RgbImage image = SkiaDecode(data, format, facts, limits);
        return ExifOrientation.Apply(image, facts.Orientation);
    }

    private static RgbImage SkiaDecode(ReadOnlySpan<byte> data, EncodedFormat format, ContainerFacts facts, ImageLimits limits)
    {
        string name = format.Name();
        using SKData copy = SKData.CreateCopy(data);
        // The codec owns the stream; reading the header decodes no pixel.
        using SKCodec? codec = SKCodec.Create(new SKMemoryStream(copy), out SKCodecResult opened);
        if (codec is null)
        {
            throw new ImageFormatException(opened == SKCodecResult.IncompleteInput
                ? $"the {name} image is truncated: its {data.Length} bytes end inside its header"
                : $"the {name} image is damaged: its header cannot be read ({Describe(opened)})");
        }

        SKImageInfo header = codec.Info;
        if (header.Width <= 0 || header.Height <= 0)
        {
            throw new ImageFormatException($"the {name} image is damaged: its header says it is {header.Width}×{header.Height} pixels");
        }

        ImageTooLargeException.ThrowIfOver(name, header.Width, header.Height, limits);
        if (facts.Shortfall is { } shortfall)
        {
            throw new ImageFormatException(shortfall); // after the size: over the limit is the clearer error
        }

        // Unpremultiplied RGBA, 4 bytes a pixel, and no colour space: the stored samples, not converted.
        var info = new SKImageInfo(header.Width, header.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul, colorspace: null);
        byte[] rgba = ArrayPool<byte>.Shared.Rent(info.BytesSize);
        try
        {
            SKCodecResult result = codec.GetPixels(info, rgba);
            if (result != SKCodecResult.Success)
            {
                // Skia says what kind of failure, not where; for PNG, whose chunks were all there and
                // intact, a second look at the compressed rows says which row or what went wrong.
                throw new ImageFormatException((format == EncodedFormat.Png ? PngContainer.Diagnose(data) : null) ?? Failure(name, result, data.Length, header));
            }

            var image = new RgbImage(header.Width, header.Height);
            OverWhite(rgba.AsSpan(0, info.BytesSize), image.Pixels);
            return image;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rgba);
        }
    }

    /// <summary>RGBA to RGB, each sample composited over white and rounded: (100, alpha 128) → 178; opaque pixels are copied.</summary>
    private static void OverWhite(ReadOnlySpan<byte> rgba, Span<byte> rgb)
    {
        for (int s = 0, t = 0; s < rgba.Length; s += 4, t += 3)
        {
            int a = rgba[s + 3];
            if (a == 255)
            {
                rgb[t] = rgba[s];
                rgb[t + 1] = rgba[s + 1];
                rgb[t + 2] = rgba[s + 2];
            }
            else
            {
                int white = 255 * (255 - a);
                rgb[t] = (byte)(((rgba[s] * a) + white + 127) / 255);
                rgb[t + 1] = (byte)(((rgba[s + 1] * a) + white + 127) / 255);
                rgb[t + 2] = (byte)(((rgba[s + 2] * a) + white + 127) / 255);
            }
        }
    }

    /// <summary>The message for a decode that did not succeed: Skia's codecs say what kind of failure, not where.</summary>
    private static string Failure(string name, SKCodecResult result, int length, SKImageInfo header) => result switch
    {
        SKCodecResult.IncompleteInput =>
            $"the {name} image is truncated: its {length} bytes end before the last row of its {header.Width}×{header.Height} pixels",
        SKCodecResult.ErrorInInput or SKCodecResult.InvalidInput =>
            $"the {name} image is damaged: its {header.Width}×{header.Height} pixel data cannot be decoded ({Describe(result)})",
        _ => $"the {name} image cannot be decoded: {Describe(result)}",
    };

    private static string Describe(SKCodecResult result) => result switch
    {
        SKCodecResult.IncompleteInput => "the data ends early",
        SKCodecResult.ErrorInInput => "an error in the data",
        SKCodecResult.InvalidInput => "the data is not valid",
        SKCodecResult.Unimplemented => "it uses a feature the decoder does not support",
        SKCodecResult.InvalidConversion => "its pixels cannot be converted to 8-bit RGB",
        _ => $"Skia's codec answered {result}",
    };
}
