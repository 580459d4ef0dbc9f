using System.Buffers.Binary;
using Serval.Imaging.Jpeg;
using Serval.Imaging.Png;

namespace Serval.Imaging;

/// <summary>
/// Decodes PNG and JPEG images into <see cref="RgbImage"/>, in managed code. The format is found
/// from the data's first bytes, not from a file name or content type.
/// </summary>
/// <remarks>
/// PNG: every colour type and bit depth, interlaced or not. Transparency is composited over white,
/// as a page is white under a transparent scan; 16-bit samples are rounded to 8 bits (v / 257).
/// JPEG: baseline, extended and progressive Huffman-coded, greyscale, YCbCr or RGB, 8-bit; the pixels
/// are the same as libjpeg-turbo's with its default settings. Not supported (a clear error):
/// CMYK, 12-bit, arithmetic-coded, lossless and hierarchical JPEG.
/// The EXIF orientation (JPEG APP1, PNG eXIf; tag 0x0112, which phones write) is applied, so the
/// picture comes out upright as a viewer shows it.
/// </remarks>
public static class ImageDecoder
{
    /// <summary>Decodes <paramref name="data"/> with <see cref="ImageLimits.Default"/>.</summary>
    /// <exception cref="ImageFormatException">The data is not a PNG or JPEG image this decoder supports; the message says why.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> data) => Decode(data, ImageLimits.Default);

    /// <summary>Decodes <paramref name="data"/>, a PNG or JPEG image, into 8-bit RGB.</summary>
    /// <exception cref="ImageTooLargeException">The header declares more pixels than <paramref name="limits"/> allow.</exception>
    /// <exception cref="ImageFormatException">The data is not a PNG or JPEG image this decoder supports; the message says why.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> data, ImageLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limits.MaxPixels, nameof(limits) + "." + nameof(ImageLimits.MaxPixels));
        if (data.IsEmpty)
        {
            throw new ImageFormatException("the image data is empty (0 bytes)");
        }

        if (data.StartsWith(PngDecoder.Signature))
        {
            return PngDecoder.Decode(data, limits);
        }

        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            return JpegDecoder.Decode(data, limits);
        }

        if (data.Length < PngDecoder.Signature.Length && PngDecoder.Signature.StartsWith(data))
        {
            throw new ImageFormatException($"the PNG image is truncated: it is {data.Length} bytes, shorter than the 8-byte PNG signature");
        }

        if (data.Length < 3 && data[0] == 0xFF && (data.Length == 1 || data[1] == 0xD8))
        {
            throw new ImageFormatException($"the JPEG image is truncated: it is {data.Length} bytes");
        }

        string? other = OtherFormat(data);
        if (other != null)
        {
            throw new ImageFormatException($"the data is a {other} image, which is not supported (only PNG and JPEG are)");
        }

        throw new ImageFormatException($"the data is not a PNG or JPEG image (it starts with {Hex(data[..Math.Min(4, data.Length)])})");
    }

    /// <summary>Names a few image formats people send by mistake, from their signature.</summary>
    private static string? OtherFormat(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith("GIF8"u8))
        {
            return "GIF";
        }

        if (data.Length >= 12 && data.StartsWith("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8))
        {
            return "WebP";
        }

        if (data.StartsWith("II*\0"u8) || data.StartsWith("MM\0*"u8))
        {
            return "TIFF";
        }

        if (data.Length >= 12 && data[4..8].SequenceEqual("ftyp"u8))
        {
            ReadOnlySpan<byte> brand = data[8..12];
            return brand.SequenceEqual("avif"u8) ? "AVIF" : brand.StartsWith("he"u8) || brand.StartsWith("mif"u8) ? "HEIF/HEIC" : null;
        }

        // BMP: "BM", then the size of the header that follows the 14-byte file header.
        return data.Length >= 18 && data.StartsWith("BM"u8) && BinaryPrimitives.ReadUInt32LittleEndian(data[14..]) is 12 or 40 or 52 or 56 or 108 or 124 ? "BMP" : null;
    }

    private static string Hex(ReadOnlySpan<byte> bytes)
    {
        var text = new System.Text.StringBuilder();
        foreach (byte b in bytes)
        {
            text.Append(text.Length > 0 ? " " : "").Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
