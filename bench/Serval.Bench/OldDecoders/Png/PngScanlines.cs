using System.Buffers;
using System.IO.Compression;
using Serval.Imaging;

namespace Serval.Bench.OldDecoders.Png;

/// <summary>
/// Inflates the concatenated IDAT data row by row, undoes each row's filter and hands the row to a
/// <see cref="PngRowWriter"/>; an interlaced image is seven Adam7 passes of smaller rows.
/// </summary>
internal static class PngScanlines
{
    /// <summary>Adam7 passes: first column, first row, column step, row step.</summary>
    private static ReadOnlySpan<byte> Adam7 => [0, 0, 8, 8, 4, 0, 8, 8, 0, 4, 4, 8, 2, 0, 4, 4, 0, 2, 2, 4, 1, 0, 2, 2, 0, 1, 1, 2];

    public static void Decode(PngHeader header, byte[] compressed, int compressedLength, PngRowWriter writer)
    {
        int passes = header.Interlaced ? 7 : 1;
        int stride = (int)header.RowBytes(header.Width) + 1;
        byte[] current = ArrayPool<byte>.Shared.Rent(stride);
        byte[] previous = ArrayPool<byte>.Shared.Rent(stride);
        long inflated = 0;
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(compressed, 0, compressedLength, writable: false), CompressionMode.Decompress);
            for (int pass = 0; pass < passes; pass++)
            {
                var (x0, y0, dx, dy, width, height) = Pass(header, pass);
                if (width == 0 || height == 0)
                {
                    continue; // an empty pass has no rows, not even filter bytes
                }

                int rowBytes = (int)header.RowBytes(width);
                int pixelBytes = Math.Max(1, header.BitsPerPixel / 8);
                previous.AsSpan(0, rowBytes + 1).Clear();
                for (int j = 0; j < height; j++)
                {
                    Span<byte> row = current.AsSpan(0, rowBytes + 1);
                    int read = Read(zlib, row);
                    inflated += read;
                    if (read < row.Length)
                    {
                        throw new ImageFormatException($"the PNG image data ends early: its {compressedLength} compressed bytes inflate to {inflated}, "
                            + $"but a {header.Width}×{header.Height} {header.Describe()}{(header.Interlaced ? " interlaced" : "")} image needs {ExpectedBytes(header)}");
                    }

                    Unfilter(row[0], row[1..], previous.AsSpan(1, rowBytes), pixelBytes, j, pass, header.Interlaced);
                    writer.Write(row[1..], y0 + (j * dy), x0, dx, width);
                    (current, previous) = (previous, current);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(previous);
        }
    }

    /// <summary>Undoes one row's filter in place: 0 none, 1 Sub, 2 Up, 3 Average, 4 Paeth.</summary>
    private static void Unfilter(byte filter, Span<byte> row, ReadOnlySpan<byte> above, int bpp, int rowIndex, int pass, bool interlaced)
    {
        switch (filter)
        {
            case 0:
                break;
            case 1:
                for (int i = bpp; i < row.Length; i++)
                {
                    row[i] += row[i - bpp];
                }

                break;
            case 2:
                for (int i = 0; i < row.Length; i++)
                {
                    row[i] += above[i];
                }

                break;
            case 3:
                for (int i = 0; i < bpp; i++)
                {
                    row[i] += (byte)(above[i] >> 1);
                }

                for (int i = bpp; i < row.Length; i++)
                {
                    row[i] += (byte)((row[i - bpp] + above[i]) >> 1);
                }

                break;
            case 4:
                for (int i = 0; i < bpp; i++)
                {
                    row[i] += above[i]; // Paeth with a = c = 0 picks b
                }

                for (int i = bpp; i < row.Length; i++)
                {
                    row[i] += Paeth(row[i - bpp], above[i], above[i - bpp]);
                }

                break;
            default:
                string where = interlaced ? $"row {rowIndex} of Adam7 pass {pass + 1}" : $"row {rowIndex}";
                throw new ImageFormatException($"the PNG image is damaged: {where} has filter type {filter}; PNG has 0 to 4");
        }
    }

    /// <summary>
    /// The PNG Paeth predictor: of left (a), above (b) and upper-left (c), the one closest to
    /// a + b - c, ties going to a, then b. Written as stb_image does, without the three absolute
    /// values and with fewer branches; it picks the same byte as the specification's version.
    /// </summary>
    private static byte Paeth(int a, int b, int c)
    {
        int threshold = (c * 3) - (a + b);
        int low = a < b ? a : b, high = a < b ? b : a;
        int lowOrC = high <= threshold ? low : c;
        return (byte)(threshold <= low ? high : lowOrC);
    }

    private static int Read(ZLibStream zlib, Span<byte> buffer)
    {
        try
        {
            return zlib.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new ImageFormatException($"the PNG image data is corrupt: its zlib stream cannot be inflated ({e.Message})", e);
        }
    }

    /// <summary>The filtered bytes a whole image inflates to: each row of each pass, plus its filter byte.</summary>
    public static long ExpectedBytes(PngHeader header)
    {
        if (!header.Interlaced)
        {
            return (header.RowBytes(header.Width) + 1) * header.Height;
        }

        long total = 0;
        for (int pass = 0; pass < 7; pass++)
        {
            var (_, _, _, _, width, height) = Pass(header, pass);
            total += width == 0 ? 0 : (header.RowBytes(width) + 1) * (long)height;
        }

        return total;
    }

    /// <summary>
    /// Where pass <paramref name="pass"/> starts, its steps, and its size in pixels: the whole image
    /// when not interlaced, else Adam7's pass (0 × 0 when the image is too small to reach it).
    /// </summary>
    private static (int X0, int Y0, int Dx, int Dy, int Width, int Height) Pass(PngHeader header, int pass)
    {
        int x0 = 0, y0 = 0, dx = 1, dy = 1;
        if (header.Interlaced)
        {
            (x0, y0, dx, dy) = (Adam7[pass * 4], Adam7[(pass * 4) + 1], Adam7[(pass * 4) + 2], Adam7[(pass * 4) + 3]);
        }

        int width = header.Width > x0 ? (header.Width - x0 + dx - 1) / dx : 0;
        int height = header.Height > y0 ? (header.Height - y0 + dy - 1) / dy : 0;
        return (x0, y0, dx, dy, width, height);
    }
}
