using System.IO.Compression;
using System.Text;
using Serval.Imaging;

namespace Serval.Ocr.Tests;

/// <summary>
/// The pictures Images/make.sh draws, read from their gzipped binary PPM (P6) copies, and small
/// synthetic pictures.
/// </summary>
public static class TestImages
{
    /// <summary>Images/<paramref name="name"/>.ppm.gz.</summary>
    public static RgbImage Load(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Images", name + ".ppm.gz");
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gzip.CopyTo(buffer);
        return ReadPpm(buffer.ToArray());
    }

    /// <summary>A binary PPM with maximum value 255 (comments allowed in the header).</summary>
    public static RgbImage ReadPpm(byte[] data)
    {
        int pos = 0;
        string magic = Token(data, ref pos);
        int width = int.Parse(Token(data, ref pos));
        int height = int.Parse(Token(data, ref pos));
        int max = int.Parse(Token(data, ref pos));
        if (magic != "P6" || max != 255)
        {
            throw new FormatException($"expected a P6 PPM with maximum 255, got {magic} with maximum {max}");
        }

        pos++; // the one whitespace byte after the maximum
        return new RgbImage(width, height, data.AsSpan(pos, width * height * 3).ToArray());
    }

    /// <summary>A picture of one colour.</summary>
    public static RgbImage Filled(int width, int height, byte r, byte g, byte b)
    {
        var image = new RgbImage(width, height);
        for (int i = 0; i < image.Pixels.Length; i += 3)
        {
            (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]) = (r, g, b);
        }

        return image;
    }

    private static string Token(byte[] data, ref int pos)
    {
        while (true)
        {
            while (char.IsWhiteSpace((char)data[pos]))
            {
                pos++;
            }

            if (data[pos] != '#')
            {
                break;
            }

            while (data[pos] != '\n')
            {
                pos++;
            }
        }

        int start = pos;
        while (!char.IsWhiteSpace((char)data[pos]))
        {
            pos++;
        }

        return Encoding.ASCII.GetString(data, start, pos - start);
    }
}
