using System.Text;
using Serval.TestSupport;

namespace Serval.Imaging.Tests;

/// <summary>The committed images in Fixtures/ (made by Fixtures/make.sh) and the pixels ImageMagick decoded from them.</summary>
public static class Fixture
{
    /// <summary>The folder of the fixtures.</summary>
    public static string Folder => Path.Combine(Paths.Root, "tests/Serval.Imaging.Tests/Fixtures");

    /// <summary>The bytes of a fixture file, "png-rgb8.png".</summary>
    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(Folder, name));

    /// <summary>The expected pixels of an image fixture: its .ppm beside it.</summary>
    public static RgbImage Expected(string imageName) => ReadPpm(Bytes(Path.ChangeExtension(imageName, ".ppm")));

    /// <summary>
    /// Reads a binary PPM (P6) as ImageMagick writes it. Samples of a 16-bit PPM (maxval 65535) are
    /// rounded to 8 bits: round(v / 257), 15400 → 60, the reduction the decoder documents.
    /// </summary>
    public static RgbImage ReadPpm(byte[] ppm)
    {
        int position = 0;
        Assert.Equal("P6", Token(ppm, ref position));
        int width = int.Parse(Token(ppm, ref position));
        int height = int.Parse(Token(ppm, ref position));
        int maxval = int.Parse(Token(ppm, ref position));
        position++; // the single whitespace byte after maxval
        var pixels = new byte[width * height * 3];
        if (maxval == 255)
        {
            Assert.Equal(pixels.Length, ppm.Length - position);
            ppm.AsSpan(position).CopyTo(pixels);
        }
        else
        {
            Assert.Equal(65535, maxval);
            Assert.Equal(pixels.Length * 2, ppm.Length - position);
            for (int i = 0; i < pixels.Length; i++)
            {
                int v = (ppm[position + (2 * i)] << 8) | ppm[position + (2 * i) + 1];
                pixels[i] = (byte)Math.Round(v / 257.0, MidpointRounding.AwayFromZero);
            }
        }

        return new RgbImage(width, height, pixels);
    }

    private static string Token(byte[] data, ref int position)
    {
        while (char.IsWhiteSpace((char)data[position]))
        {
            position++;
        }

        int start = position;
        while (!char.IsWhiteSpace((char)data[position]))
        {
            position++;
        }

        return Encoding.ASCII.GetString(data, start, position - start);
    }
}
