using Xunit.Abstractions;

namespace Serval.Imaging.Tests.Jpeg;

public class JpegFixtureTests(ITestOutputHelper output)
{
    private static readonly string[] Names =
    [
        "jpeg-444.jpg", "jpeg-420.jpg", "jpeg-420-odd.jpg", "jpeg-422.jpg", "jpeg-440.jpg", "jpeg-411.jpg", "jpeg-grey.jpg",
        "jpeg-q100.jpg", "jpeg-q10.jpg", "jpeg-420-5x3.jpg", "jpeg-420-2x2.jpg",
        "jpeg-progressive.jpg", "jpeg-progressive-444.jpg", "jpeg-progressive-grey.jpg", "jpeg-progressive-restart.jpg",
        "jpeg-restart-mcu.jpg", "jpeg-restart-row.jpg", "jpeg-sequential-scans.jpg", "jpeg-rgb.jpg",
        "jpeg-exif3.jpg", "jpeg-exif5.jpg", "jpeg-exif6.jpg", "jpeg-exif8.jpg",
    ];

    public static TheoryData<string> Fixtures => new(Names);

    /// <summary>
    /// Bit-exact: the same islow IDCT, fancy upsampling and colour tables as libjpeg-turbo (2.1.5 made
    /// the fixtures). Should fixtures made by another version differ, mean &lt; 1.0 and max ≤ 2 is still a pass.
    /// </summary>
    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Decode_Fixture_SamePixelsAsLibjpegTurbo(string name)
    {
        RgbImage image = ImageDecoder.Decode(Fixture.Bytes(name));

        (double mean, int max) = Pixels.Difference(Fixture.Expected(name), image);
        output.WriteLine($"{name}: mean {mean:F4}, max {max}");
        Pixels.AssertEqual(Fixture.Expected(name), image);
    }

    [Fact]
    public void Decode_ExtendedSequentialFrame_SameAsBaseline()
    {
        byte[] baseline = Fixture.Bytes("jpeg-420-odd.jpg");
        byte[] extended = (byte[])baseline.Clone();
        extended[JpegFile.First(extended, 0xC0).Offset + 1] = 0xC1;

        Pixels.AssertEqual(ImageDecoder.Decode(baseline), ImageDecoder.Decode(extended));
    }

    [Fact]
    public void Decode_ArithmeticCoding_SameAsItsHuffmanSource()
    {
        // Fixtures/make.sh: jpegtran -arithmetic of jpeg-420-2x2.jpg, a lossless re-coding of the same coefficients.
        Pixels.AssertEqual(Fixture.Expected("jpeg-420-2x2.jpg"), ImageDecoder.Decode(Fixture.Bytes("unsupported-arithmetic.jpg")));
    }

    [Fact]
    public void Decode_Cmyk_SameAsImageMagick()
    {
        Pixels.AssertEqual(Fixture.Expected("unsupported-cmyk.jpg"), ImageDecoder.Decode(Fixture.Bytes("unsupported-cmyk.jpg")));
    }

    [Fact]
    public void Fixtures_CoverEveryJpegFileInTheFolder()
    {
        string[] files = [.. Directory.GetFiles(Fixture.Folder, "jpeg-*.jpg").Select(Path.GetFileName).Order()!];

        Assert.Equal([.. Names.Order()], files);
    }
}
