using System.Buffers.Binary;

namespace Serval.Imaging.Containers;

/// <summary>The PNG colour types (IHDR byte 9).</summary>
internal enum PngColorType : byte
{
    Grey = 0,
    Rgb = 2,
    Palette = 3,
    GreyAlpha = 4,
    Rgba = 6,
}

/// <summary>The IHDR chunk: size, bit depth, colour type and interlacing, validated.</summary>
internal readonly record struct PngHeader(int Width, int Height, int BitDepth, PngColorType ColorType, bool Interlaced)
{
    /// <summary>Samples per pixel: 1 grey or palette index, 2 grey + alpha, 3 RGB, 4 RGBA.</summary>
    public int Channels => ColorType switch
    {
        PngColorType.Rgb => 3,
        PngColorType.GreyAlpha => 2,
        PngColorType.Rgba => 4,
        _ => 1,
    };

    /// <summary>Bits per pixel: 4-bit palette = 4, 16-bit RGBA = 64.</summary>
    public int BitsPerPixel => Channels * BitDepth;

    /// <summary>Bytes in one unfiltered row of <paramref name="width"/> pixels: 37 pixels at 1 bit = 5 bytes.</summary>
    public long RowBytes(int width) => (((long)width * BitsPerPixel) + 7) / 8;

    /// <summary>"8-bit RGBA", for messages.</summary>
    public string Describe() => $"{BitDepth}-bit {ColorType switch
    {
        PngColorType.Grey => "grey",
        PngColorType.Rgb => "RGB",
        PngColorType.Palette => "palette",
        PngColorType.GreyAlpha => "grey+alpha",
        _ => "RGBA",
    }}";

    /// <summary>Parses and validates an IHDR chunk's 13 bytes.</summary>
    public static PngHeader Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length != 13)
        {
            throw new ImageFormatException($"the PNG image is damaged: its IHDR chunk has {data.Length} bytes, not 13");
        }

        uint width = BinaryPrimitives.ReadUInt32BigEndian(data);
        uint height = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
        int depth = data[8];
        int colorType = data[9];
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue)
        {
            throw new ImageFormatException($"the PNG image is damaged: its header says it is {width}×{height} pixels");
        }

        bool depthAllowed = colorType switch
        {
            0 => depth is 1 or 2 or 4 or 8 or 16,
            3 => depth is 1 or 2 or 4 or 8,
            2 or 4 or 6 => depth is 8 or 16,
            _ => throw new ImageFormatException($"the PNG image is damaged: its header has colour type {colorType}; PNG has 0, 2, 3, 4 and 6"),
        };
        if (!depthAllowed)
        {
            throw new ImageFormatException($"the PNG image is damaged: its header has bit depth {depth} for colour type {colorType}, which PNG does not allow");
        }

        if (data[10] != 0 || data[11] != 0)
        {
            throw new ImageFormatException($"the PNG image uses compression method {data[10]} and filter method {data[11]}; PNG defines only 0 and 0");
        }

        if (data[12] > 1)
        {
            throw new ImageFormatException($"the PNG image has interlace method {data[12]}; PNG defines 0 (none) and 1 (Adam7)");
        }

        return new PngHeader((int)width, (int)height, depth, (PngColorType)colorType, data[12] == 1);
    }
}
