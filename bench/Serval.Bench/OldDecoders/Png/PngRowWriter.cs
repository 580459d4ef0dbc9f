using System.Buffers.Binary;
using Serval.Imaging;

namespace Serval.Bench.OldDecoders.Png;

/// <summary>
/// Turns unfiltered PNG rows of any colour type and bit depth into 8-bit RGB. Transparency (an alpha
/// channel, a palette's tRNS alphas, or a tRNS key colour) is composited over white.
/// </summary>
internal sealed class PngRowWriter
{
    private readonly PngHeader _header;
    private readonly byte[] _pixels;
    private readonly byte[] _palette = new byte[256 * 3];
    private readonly int _paletteCount;
    private readonly int _keyGrey = -1;
    private readonly int _keyRed = -1, _keyGreen = -1, _keyBlue = -1;

    public PngRowWriter(PngHeader header, byte[] pixels, ReadOnlySpan<byte> palette, bool hasPalette, ReadOnlySpan<byte> transparency, bool hasTransparency)
    {
        _header = header;
        _pixels = pixels;
        if (header.ColorType == PngColorType.Palette)
        {
            if (!hasPalette)
            {
                throw new ImageFormatException("the PNG image is damaged: it is a palette image without a PLTE chunk before its image data");
            }

            _paletteCount = palette.Length / 3;
            for (int i = 0; i < _paletteCount; i++)
            {
                int alpha = hasTransparency && i < transparency.Length ? transparency[i] : 255;
                for (int c = 0; c < 3; c++)
                {
                    _palette[(i * 3) + c] = Over(palette[(i * 3) + c], alpha);
                }
            }
        }
        else if (hasTransparency && header.ColorType == PngColorType.Grey)
        {
            _keyGrey = Key(transparency, 2, 0);
        }
        else if (hasTransparency && header.ColorType == PngColorType.Rgb)
        {
            (_keyRed, _keyGreen, _keyBlue) = (Key(transparency, 6, 0), Key(transparency, 6, 2), Key(transparency, 6, 4));
        }
    }

    /// <summary>
    /// Writes <paramref name="count"/> pixels of <paramref name="row"/> into output row <paramref name="y"/>
    /// at x = <paramref name="x0"/>, <paramref name="x0"/> + <paramref name="dx"/>, … (an Adam7 pass spaces them).
    /// </summary>
    public void Write(ReadOnlySpan<byte> row, int y, int x0, int dx, int count)
    {
        Span<byte> output = _pixels.AsSpan((int)((long)y * _header.Width * 3));
        int o = x0 * 3, step = dx * 3, depth = _header.BitDepth;
        switch (_header.ColorType)
        {
            case PngColorType.Grey when depth == 16:
                for (int i = 0; i < count; i++, o += step)
                {
                    int g = BinaryPrimitives.ReadUInt16BigEndian(row[(i * 2)..]);
                    Set(output, o, g == _keyGrey ? (byte)255 : To8(g));
                }

                break;
            case PngColorType.Grey:
                int scale = 255 / ((1 << depth) - 1);
                for (int i = 0; i < count; i++, o += step)
                {
                    int g = Sample(row, i, depth);
                    Set(output, o, g == _keyGrey ? (byte)255 : (byte)(g * scale));
                }

                break;
            case PngColorType.Palette:
                for (int i = 0; i < count; i++, o += step)
                {
                    int index = depth == 8 ? row[i] : Sample(row, i, depth);
                    if (index >= _paletteCount)
                    {
                        throw new ImageFormatException($"the PNG image is damaged: pixel ({x0 + (i * dx)}, {y}) uses palette entry {index}, but the palette has {_paletteCount} entries");
                    }

                    output[o] = _palette[index * 3];
                    output[o + 1] = _palette[(index * 3) + 1];
                    output[o + 2] = _palette[(index * 3) + 2];
                }

                break;
            case PngColorType.Rgb when depth == 16:
                for (int i = 0; i < count; i++, o += step)
                {
                    int r = BinaryPrimitives.ReadUInt16BigEndian(row[(i * 6)..]);
                    int g = BinaryPrimitives.ReadUInt16BigEndian(row[((i * 6) + 2)..]);
                    int b = BinaryPrimitives.ReadUInt16BigEndian(row[((i * 6) + 4)..]);
                    bool clear = r == _keyRed && g == _keyGreen && b == _keyBlue;
                    output[o] = clear ? (byte)255 : To8(r);
                    output[o + 1] = clear ? (byte)255 : To8(g);
                    output[o + 2] = clear ? (byte)255 : To8(b);
                }

                break;
            case PngColorType.Rgb when dx == 1 && _keyRed < 0:
                row[..(count * 3)].CopyTo(output[o..]);
                break;
            case PngColorType.Rgb:
                for (int i = 0; i < count; i++, o += step)
                {
                    byte r = row[i * 3], g = row[(i * 3) + 1], b = row[(i * 3) + 2];
                    bool clear = r == _keyRed && g == _keyGreen && b == _keyBlue;
                    output[o] = clear ? (byte)255 : r;
                    output[o + 1] = clear ? (byte)255 : g;
                    output[o + 2] = clear ? (byte)255 : b;
                }

                break;
            case PngColorType.GreyAlpha when depth == 16:
                for (int i = 0; i < count; i++, o += step)
                {
                    int a = BinaryPrimitives.ReadUInt16BigEndian(row[((i * 4) + 2)..]);
                    Set(output, o, Over16(BinaryPrimitives.ReadUInt16BigEndian(row[(i * 4)..]), a));
                }

                break;
            case PngColorType.GreyAlpha:
                for (int i = 0; i < count; i++, o += step)
                {
                    Set(output, o, Over(row[i * 2], row[(i * 2) + 1]));
                }

                break;
            case PngColorType.Rgba when depth == 16:
                for (int i = 0; i < count; i++, o += step)
                {
                    ReadOnlySpan<byte> p = row.Slice(i * 8, 8);
                    int a = BinaryPrimitives.ReadUInt16BigEndian(p[6..]);
                    output[o] = Over16(BinaryPrimitives.ReadUInt16BigEndian(p), a);
                    output[o + 1] = Over16(BinaryPrimitives.ReadUInt16BigEndian(p[2..]), a);
                    output[o + 2] = Over16(BinaryPrimitives.ReadUInt16BigEndian(p[4..]), a);
                }

                break;
            default:
                for (int i = 0; i < count; i++, o += step)
                {
                    int a = row[(i * 4) + 3];
                    output[o] = Over(row[i * 4], a);
                    output[o + 1] = Over(row[(i * 4) + 1], a);
                    output[o + 2] = Over(row[(i * 4) + 2], a);
                }

                break;
        }
    }

    /// <summary>An 8-bit sample <paramref name="c"/> with alpha <paramref name="a"/> over white, rounded: Over(100, 128) = 178.</summary>
    internal static byte Over(int c, int a) => (byte)(((c * a) + (255 * (255 - a)) + 127) / 255);

    /// <summary>The same for 16-bit samples, composited at 16 bits and then reduced to 8.</summary>
    internal static byte Over16(int c, int a) => To8((int)((((long)c * a) + (65535L * (65535 - a)) + 32767) / 65535));

    /// <summary>A 16-bit sample to 8 bits, rounded to nearest: round(v / 257), 0x8080 → 128.</summary>
    internal static byte To8(int v) => (byte)((v + 128 - ((v + 128) >> 8)) >> 8);

    /// <summary>Sample <paramref name="i"/> of a row packed at 1, 2 or 4 bits, most significant bits first.</summary>
    private static int Sample(ReadOnlySpan<byte> row, int i, int depth)
    {
        int bit = i * depth;
        return (row[bit >> 3] >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
    }

    private static void Set(Span<byte> output, int o, byte grey)
    {
        output[o] = grey;
        output[o + 1] = grey;
        output[o + 2] = grey;
    }

    private int Key(ReadOnlySpan<byte> transparency, int length, int offset)
    {
        if (transparency.Length != length)
        {
            throw new ImageFormatException($"the PNG image is damaged: its tRNS chunk has {transparency.Length} bytes; a {_header.Describe()} image needs {length}");
        }

        return BinaryPrimitives.ReadUInt16BigEndian(transparency[offset..]);
    }
}
