namespace Serval.Imaging.Tests.Png;

public class PngFixtureTests
{
    private static readonly string[] Names =
    [
        "png-grey1.png", "png-grey2.png", "png-grey4.png", "png-grey8.png", "png-grey16.png",
        "png-rgb8.png", "png-rgb16.png",
        "png-palette1.png", "png-palette2.png", "png-palette4.png", "png-palette8.png",
        "png-greyalpha8.png", "png-greyalpha16.png", "png-rgba8.png", "png-rgba16.png",
        "png-palette-trns.png", "png-grey-trns.png", "png-rgb-trns.png",
        "png-interlaced-rgb8.png", "png-interlaced-rgba16.png", "png-interlaced-grey1.png",
        "png-interlaced-palette4.png", "png-interlaced-greyalpha8.png", "png-interlaced-3x2.png", "png-interlaced-1x1.png",
    ];

    public static TheoryData<string> Fixtures => new(Names);

    /// <summary>
    /// 8-bit and smaller samples exactly; 16-bit ones within 1 (within 2 with alpha, composited after the
    /// reduction), as Skia reduces them to 8 bits with its own arithmetic where ImageMagick (and the .ppm)
    /// rounds v / 257 and composites at 16 bits.
    /// </summary>
    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Decode_Fixture_MatchesImageMagick(string name)
    {
        RgbImage image = ImageDecoder.Decode(Fixture.Bytes(name));

        if (name.Contains("16", StringComparison.Ordinal))
        {
            (double mean, int max) = Pixels.Difference(Fixture.Expected(name), image);
            Assert.True(max <= (name.Contains("alpha", StringComparison.Ordinal) || name.Contains("rgba", StringComparison.Ordinal) ? 2 : 1) && mean < 0.5, $"{name}: mean {mean:F3}, max {max}");
        }
        else
        {
            Pixels.AssertEqual(Fixture.Expected(name), image);
        }
    }

    [Fact]
    public void Fixtures_CoverEveryPngFileInTheFolder()
    {
        string[] files = [.. Directory.GetFiles(Fixture.Folder, "png-*.png").Select(Path.GetFileName).Order()!];

        Assert.Equal([.. Names.Order()], files);
    }

    [Fact]
    public void Decode_ImageDataSplitOverManyIdatChunks_SameAsOneChunk()
    {
        byte[] original = Fixture.Bytes("png-rgb8.png");
        byte[] compressed = IdatData(original);
        var file = new PngFile().Chunk("IHDR", original.AsSpan(16, 13)).Chunk("IDAT", []);
        for (int i = 0; i < compressed.Length; i += 97)
        {
            file.Chunk("IDAT", compressed.AsSpan(i, Math.Min(97, compressed.Length - i)));
        }

        RgbImage image = ImageDecoder.Decode(file.End());

        Pixels.AssertEqual(Fixture.Expected("png-rgb8.png"), image);
    }

    [Fact]
    public void Decode_AncillaryChunksEvenWithBadCrc_AreSkipped()
    {
        byte[] original = Fixture.Bytes("png-rgb8.png");
        byte[] withText = new PngFile()
            .Chunk("IHDR", original.AsSpan(16, 13))
            .Chunk("gAMA", [0, 0, 0xB1, 0x8F])
            .Chunk("tEXt", "Comment\0made by a test"u8)
            .Chunk("IDAT", IdatData(original))
            .Chunk("prVt", [1, 2, 3])
            .End();
        int textCrc = PngFile.Chunks(withText).Single(c => c.Type == "tEXt") switch { var c => c.Offset + c.Length };
        withText[textCrc] ^= 0xFF;

        RgbImage image = ImageDecoder.Decode(withText);

        Pixels.AssertEqual(Fixture.Expected("png-rgb8.png"), image);
    }

    /// <summary>The concatenated IDAT data of a PNG file.</summary>
    public static byte[] IdatData(byte[] png) =>
        [.. PngFile.Chunks(png).Where(c => c.Type == "IDAT").SelectMany(c => png.AsSpan(c.Offset, c.Length).ToArray())];
}
