namespace Serval.Imaging.Tests.Png;

/// <summary>Each PNG filter alone, encoded here from known rows: decoding must give the rows back.</summary>
public class PngFilterTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Decode_RgbFixtureEncodedWithOneFilter_MatchesImageMagick(byte filter)
    {
        RgbImage expected = Fixture.Expected("png-rgb8.png");
        byte[] png = new PngFile().Header((uint)expected.Width, (uint)expected.Height, 8, 2)
            .Data(Filter(expected.Pixels, expected.Width * 3, 3, filter)).End();

        Pixels.AssertEqual(expected, ImageDecoder.Decode(png));
    }

    [Theory]
    [InlineData(1, 0, 1)] // 1-bit grey: the filter's "previous pixel" is the previous byte
    [InlineData(2, 3, 2)] // 2-bit palette
    [InlineData(8, 4, 16)] // 8-bit grey + alpha: 2 bytes back
    [InlineData(16, 4, 32)]
    [InlineData(16, 6, 64)] // 16-bit RGBA: 8 bytes back
    public void Decode_RandomRowsWithEachFilter_SameAsUnfiltered(byte depth, byte colorType, int bitsPerPixel)
    {
        const int width = 29, height = 11;
        int rowBytes = ((width * bitsPerPixel) + 7) / 8;
        var random = new Random(42);
        byte[] rows = new byte[rowBytes * height];
        random.NextBytes(rows);
        byte[] palette = new byte[3 << depth];
        random.NextBytes(palette);
        int bytesPerPixel = Math.Max(1, bitsPerPixel / 8);
        RgbImage reference = Decode(depth, colorType, width, height, palette, Filter(rows, rowBytes, bytesPerPixel, 0));

        for (byte filter = 1; filter <= 4; filter++)
        {
            RgbImage filtered = Decode(depth, colorType, width, height, palette, Filter(rows, rowBytes, bytesPerPixel, filter));
            Pixels.AssertEqual(reference, filtered);
        }
    }

    private static RgbImage Decode(byte depth, byte colorType, int width, int height, byte[] palette, byte[] raw)
    {
        var file = new PngFile().Header((uint)width, (uint)height, depth, colorType);
        if (colorType == 3)
        {
            file.Chunk("PLTE", palette);
        }

        return ImageDecoder.Decode(file.Data(raw).End());
    }

    /// <summary>Filters every row of <paramref name="rows"/> with <paramref name="filter"/>, each row prefixed by its filter byte.</summary>
    private static byte[] Filter(byte[] rows, int rowBytes, int bpp, byte filter)
    {
        int height = rows.Length / rowBytes;
        byte[] output = new byte[(rowBytes + 1) * height];
        for (int y = 0; y < height; y++)
        {
            output[y * (rowBytes + 1)] = filter;
            for (int i = 0; i < rowBytes; i++)
            {
                int a = i >= bpp ? rows[(y * rowBytes) + i - bpp] : 0;
                int b = y > 0 ? rows[((y - 1) * rowBytes) + i] : 0;
                int c = i >= bpp && y > 0 ? rows[((y - 1) * rowBytes) + i - bpp] : 0;
                int predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    _ => Paeth(a, b, c),
                };
                output[(y * (rowBytes + 1)) + 1 + i] = (byte)(rows[(y * rowBytes) + i] - predictor);
            }
        }

        return output;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
