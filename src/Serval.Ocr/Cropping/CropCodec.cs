using System.Buffers.Binary;
using Serval.Imaging;

namespace Serval.Ocr.Cropping;

/// <summary>
/// A crop as one compact message, so it can travel between the steps of a plan: the four bytes
/// "RGB1", the width and the height (32-bit little-endian), then the R, G, B bytes row by row.
/// A 200×48 crop is 12 + 28,800 bytes.
/// </summary>
public static class CropCodec
{
    /// <summary>The bytes before the pixels.</summary>
    public const int HeaderSize = 12;

    /// <summary>The largest side accepted when decoding (bounds what a bad header can allocate).</summary>
    public const int MaxSide = 16384;

    private static ReadOnlySpan<byte> Magic => "RGB1"u8;

    /// <summary>The encoded length of a <paramref name="width"/> × <paramref name="height"/> crop.</summary>
    public static int EncodedLength(int width, int height) => checked(HeaderSize + width * height * 3);

    /// <summary><paramref name="crop"/> as a message.</summary>
    public static byte[] Encode(RgbImage crop) => Encode(crop.Width, crop.Height, crop.Pixels);

    /// <summary>
    /// A <paramref name="width"/> × <paramref name="height"/> crop whose RGB rows are
    /// <paramref name="pixels"/> as a message: a band of rows of a larger image is sent without
    /// copying it into an image first.
    /// </summary>
    public static byte[] Encode(int width, int height, ReadOnlySpan<byte> pixels)
    {
        byte[] data = new byte[EncodedLength(width, height)];
        if (pixels.Length != data.Length - HeaderSize)
        {
            throw new ArgumentException($"a {width}×{height} crop has {data.Length - HeaderSize} RGB bytes, got {pixels.Length}", nameof(pixels));
        }

        Magic.CopyTo(data);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(4), width);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(8), height);
        pixels.CopyTo(data.AsSpan(HeaderSize));
        return data;
    }

    /// <summary>The crop in <paramref name="data"/>.</summary>
    /// <exception cref="FormatException">The data is not an encoded crop; the message says what is wrong.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> data)
    {
        if (data.Length < HeaderSize || !data[..4].SequenceEqual(Magic))
        {
            throw new FormatException($"not an encoded crop: expected {HeaderSize} header bytes starting with \"RGB1\", got {Describe(data)}");
        }

        int width = BinaryPrimitives.ReadInt32LittleEndian(data[4..]);
        int height = BinaryPrimitives.ReadInt32LittleEndian(data[8..]);
        if (width < 1 || height < 1 || width > MaxSide || height > MaxSide)
        {
            throw new FormatException($"encoded crop size {width}×{height} is out of range: each side must be 1 to {MaxSide}");
        }

        int expected = EncodedLength(width, height);
        if (data.Length != expected)
        {
            throw new FormatException($"an encoded {width}×{height} crop is {expected} bytes, got {data.Length}");
        }

        return new RgbImage(width, height, data[HeaderSize..].ToArray());
    }

    /// <summary>The size an encoded crop declares, without decoding its pixels; false when the header is not a crop's.</summary>
    public static bool TryReadSize(ReadOnlySpan<byte> data, out int width, out int height)
    {
        width = height = 0;
        if (data.Length < HeaderSize || !data[..4].SequenceEqual(Magic))
        {
            return false;
        }

        width = BinaryPrimitives.ReadInt32LittleEndian(data[4..]);
        height = BinaryPrimitives.ReadInt32LittleEndian(data[8..]);
        return width is >= 1 and <= MaxSide && height is >= 1 and <= MaxSide;
    }

    private static string Describe(ReadOnlySpan<byte> data) =>
        data.Length < 4 ? $"{data.Length} bytes" : $"{data.Length} bytes starting with {Convert.ToHexString(data[..4])}";
}
