using System.Buffers.Binary;

namespace Serval.Imaging;

/// <summary>The formats <see cref="ImageDecoder"/> decodes, told apart by their first bytes.</summary>
internal enum EncodedFormat
{
    Png,
    Jpeg,
    WebP,
}

/// <summary>
/// Finds the format from the data's signature, never from a file name or a content type, and refuses
/// anything else before Skia sees it: Skia also decodes GIF, BMP, ICO and more, which Serval does not offer.
/// </summary>
internal static class EncodedFormats
{
    private static ReadOnlySpan<byte> PngSignature => [137, 80, 78, 71, 13, 10, 26, 10];

    /// <summary>The format's name in messages: "PNG", "JPEG", "WebP".</summary>
    public static string Name(this EncodedFormat format) => format switch
    {
        EncodedFormat.Png => "PNG",
        EncodedFormat.Jpeg => "JPEG",
        _ => "WebP",
    };

    /// <summary>The format of <paramref name="data"/> (not empty).</summary>
    /// <exception cref="ImageFormatException">Another format, a signature cut short, or not an image; the message says which.</exception>
    public static EncodedFormat Identify(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith(PngSignature))
        {
            return EncodedFormat.Png;
        }

        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            return EncodedFormat.Jpeg;
        }

        if (data.Length >= 12 && data.StartsWith("RIFF"u8) && data[8..12].SequenceEqual("WEBP"u8))
        {
            return EncodedFormat.WebP;
        }

        if (data.Length < PngSignature.Length && PngSignature.StartsWith(data))
        {
            throw new ImageFormatException($"the PNG image is truncated: it is {data.Length} bytes, shorter than the 8-byte PNG signature");
        }

        if (data.Length < 3 && data[0] == 0xFF && (data.Length == 1 || data[1] == 0xD8))
        {
            throw new ImageFormatException($"the JPEG image is truncated: it is {data.Length} bytes");
        }

        if (data.Length is >= 4 and < 12 && data.StartsWith("RIFF"u8) && (data.Length <= 8 || "WEBP"u8.StartsWith(data[8..])))
        {
            throw new ImageFormatException($"the WebP image is truncated: it is {data.Length} bytes, shorter than the 12-byte RIFF header");
        }

        string? other = OtherFormat(data);
        if (other != null)
        {
            throw new ImageFormatException($"the data is a {other} image, which is not supported (only PNG, JPEG and WebP are)");
        }

        throw new ImageFormatException($"the data is not a PNG, JPEG or WebP image (it starts with {Hex(data[..Math.Min(4, data.Length)])})");
    }

    /// <summary>Names a few image formats people send by mistake, from their signature.</summary>
    private static string? OtherFormat(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith("GIF8"u8))
        {
            return "GIF";
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
