using Serval.Imaging.Tests.Jpeg;
using Serval.Imaging.Tests.Png;

namespace Serval.Imaging.Tests;

/// <summary>EXIF orientation: the decoded picture is turned upright. ImageMagick checks 3, 5, 6 and 8 in the fixtures; here all eight by geometry.</summary>
public class OrientationTests
{
    private static readonly byte[] Upright = Fixture.Bytes("jpeg-420-odd.jpg");

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, false)]
    [InlineData(5, true)]
    [InlineData(6, false)]
    [InlineData(7, true)]
    [InlineData(8, false)]
    public void Decode_JpegWithOrientation_ShowsSourcePixelWhereAViewerWould(int orientation, bool bigEndian)
    {
        RgbImage source = ImageDecoder.Decode(Upright);

        RgbImage turned = ImageDecoder.Decode(JpegFile.Insert(Upright, JpegFile.ExifSegment(orientation, bigEndian)));

        AssertTurned(source, turned, orientation);
    }

    [Fact]
    public void Decode_PngWithExifChunk_IsTurned()
    {
        byte[] png = Fixture.Bytes("png-rgb8.png");
        byte[] tiff = JpegFile.ExifSegment(6)[10..];
        byte[] withExif = new PngFile().Chunk("IHDR", png.AsSpan(16, 13)).Chunk("eXIf", tiff).Chunk("IDAT", PngFixtureTests.IdatData(png)).End();

        AssertTurned(ImageDecoder.Decode(png), ImageDecoder.Decode(withExif), 6);
    }

    [Theory]
    [InlineData(new byte[] { (byte)'M', (byte)'M', 0, 42, 0xFF, 0xFF, 0xFF, 0xFF })] // IFD offset past the end
    [InlineData(new byte[] { (byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 0xFF, 0xFF })] // 65535 entries, none there
    [InlineData(new byte[] { (byte)'X', (byte)'X', 42, 0 })]
    public void Decode_DamagedExif_IsIgnored(byte[] tiff)
    {
        RgbImage image = ImageDecoder.Decode(JpegFile.Insert(Upright, JpegFile.App1(tiff)));

        Pixels.AssertEqual(ImageDecoder.Decode(Upright), image);
    }

    private static void AssertTurned(RgbImage source, RgbImage turned, int orientation)
    {
        int w = source.Width, h = source.Height;
        Assert.Equal(orientation >= 5 ? (h, w) : (w, h), (turned.Width, turned.Height));
        for (int y = 0; y < turned.Height; y++)
        {
            for (int x = 0; x < turned.Width; x++)
            {
                // Where a viewer takes pixel (x, y) of the upright picture from, per the EXIF specification's table.
                (int sx, int sy) = orientation switch
                {
                    1 => (x, y),
                    2 => (w - 1 - x, y),
                    3 => (w - 1 - x, h - 1 - y),
                    4 => (x, h - 1 - y),
                    5 => (y, x),
                    6 => (y, h - 1 - x),
                    7 => (w - 1 - y, h - 1 - x),
                    _ => (w - 1 - y, x),
                };
                Assert.True(
                    source.Pixels.AsSpan(source.Offset(sx, sy), 3).SequenceEqual(turned.Pixels.AsSpan(turned.Offset(x, y), 3)),
                    $"orientation {orientation}: pixel ({x}, {y}) should be source pixel ({sx}, {sy})");
            }
        }
    }
}
