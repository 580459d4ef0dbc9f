namespace Serval.Imaging.Tests.Png;

public class PngErrorTests
{
    private static readonly byte[] Rgb8 = Fixture.Bytes("png-rgb8.png");

    [Theory]
    [InlineData(9)] // inside the first chunk header
    [InlineData(20)] // inside IHDR
    [InlineData(33)] // right after IHDR
    [InlineData(40)] // inside the IDAT header
    [InlineData(1000)] // inside the IDAT data
    [InlineData(-13)] // the IDAT's CRC cut
    [InlineData(-12)] // right before IEND
    [InlineData(-1)] // IEND's CRC cut
    public void Decode_TruncatedFile_SaysTruncated(int cut)
    {
        byte[] data = Rgb8[..(cut > 0 ? cut : Rgb8.Length + cut)];

        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(data));

        Assert.StartsWith("the PNG image is truncated: ", error.Message);
    }

    [Fact]
    public void Decode_TruncatedInsideIdat_NamesChunkOffsetAndSizes()
    {
        var idat = PngFile.Chunks(Rgb8).Single(c => c.Type == "IDAT");

        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(Rgb8.AsSpan(0, 1000)));

        Assert.Equal($"the PNG image is truncated: chunk IDAT at byte {idat.Offset - 8} needs {idat.Length + 12} bytes, {1000 - idat.Offset + 8} remain", error.Message);
    }

    [Fact]
    public void Decode_CorruptZlibData_SaysCorrupt()
    {
        byte[] garbage = new byte[200];
        new Random(3).NextBytes(garbage);
        garbage[0] = 0x78;
        garbage[1] = 0x9C;
        byte[] png = new PngFile().Header(37, 23, 8, 2).Chunk("IDAT", garbage).End();

        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(png));

        Assert.StartsWith("the PNG image data is corrupt: its zlib stream cannot be inflated", error.Message);
    }

    [Fact]
    public void Decode_ZlibStreamShorterThanTheRows_SaysHowMuchIsMissing()
    {
        byte[] png = new PngFile().Header(37, 23, 8, 2).Data(new byte[((37 * 3) + 1) * 10]).End();

        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(png));

        Assert.Matches(@"^the PNG image data ends early: its \d+ compressed bytes inflate to 1120, but a 37×23 8-bit RGB image needs 2576$", error.Message);
    }

    [Fact]
    public void Decode_HeaderClaimingHugeImage_RejectedBeforeAllocating()
    {
        byte[] png = new PngFile().Header(100_000, 100_000, 8, 6).Data(new byte[100]).End();
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<ImageTooLargeException>(() => ImageDecoder.Decode(png));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000, "the decoder allocated a large buffer before checking the size");
        Assert.Equal((100_000, 100_000, 40_000_000), (error.Width, error.Height, error.MaxPixels));
        Assert.Equal("the PNG image is 100000×100000 = 10000000000 pixels, more than the limit of 40000000 (ImageLimits.MaxPixels)", error.Message);
    }

    [Fact]
    public void Decode_BadCrc_NamesChunkAndBothValues()
    {
        byte[] png = (byte[])Rgb8.Clone();
        png[20]++; // IHDR width, without fixing the CRC

        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(png));

        Assert.Matches("^the PNG image is damaged: chunk IHDR at byte 8 has CRC [0-9A-F]{8}, but its bytes give [0-9A-F]{8}$", error.Message);
    }

    [Fact]
    public void Decode_UnknownFilterType_NamesRowAndType()
    {
        byte[] raw = new byte[((3 * 3) + 1) * 2];
        raw[4] = 5;
        raw[10] = 7;
        byte[] png = new PngFile().Header(3, 2, 8, 2).Data(raw).End();

        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(png));

        Assert.Equal("the PNG image is damaged: row 1 has filter type 7; PNG has 0 to 4", error.Message);
    }

    /// <summary>
    /// Skia pads a short palette with its last colour, so an index past it shows that colour, as in
    /// Chrome; the old managed decoder refused the file.
    /// </summary>
    [Fact]
    public void Decode_PaletteIndexOutsidePalette_ShowsThePalettesLastColour()
    {
        byte[] png = new PngFile().Header(3, 1, 8, 3).Chunk("PLTE", [0, 0, 0, 255, 0, 0]).Data([0, 0, 1, 2]).End();

        RgbImage image = ImageDecoder.Decode(png);

        Assert.Equal([0, 0, 0, 255, 0, 0, 255, 0, 0], image.Pixels);
    }

    [Theory]
    [InlineData(8, 3, "", "the PNG image is damaged: it is a palette image without a PLTE chunk before its image data")]
    [InlineData(3, 2, "", "the PNG image is damaged: its header has bit depth 3 for colour type 2, which PNG does not allow")]
    [InlineData(8, 5, "", "the PNG image is damaged: its header has colour type 5; PNG has 0, 2, 3, 4 and 6")]
    [InlineData(8, 2, "tRNS", "the PNG image is damaged: its tRNS chunk has 2 bytes; a 8-bit RGB image needs 6")]
    [InlineData(8, 2, "ZzZZ", "the PNG image has a critical chunk ZzZZ (at byte 33) that this decoder does not know")]
    public void Decode_BadHeaderOrChunks_SaysWhat(byte depth, byte colorType, string extraChunk, string message)
    {
        var file = new PngFile().Header(1, 1, depth, colorType);
        if (extraChunk != "")
        {
            file.Chunk(extraChunk, [0, 0]);
        }

        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(file.Data([0, 0, 0, 0]).End()));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Decode_ZeroWidth_SaysSize()
    {
        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(new PngFile().Header(0, 5, 8, 2).End()));

        Assert.Equal("the PNG image is damaged: its header says it is 0×5 pixels", error.Message);
    }

    [Fact]
    public void Decode_FirstChunkNotIhdr_SaysWhichChunk()
    {
        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(new PngFile().Chunk("IDAT", [1]).End()));

        Assert.Equal("the PNG image is damaged: its first chunk is IDAT, not IHDR", error.Message);
    }

    [Fact]
    public void Decode_NoImageData_SaysNoIdat()
    {
        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(new PngFile().Header(1, 1, 8, 2).End()));

        Assert.Equal("the PNG image has no image data (no IDAT chunk)", error.Message);
    }

    [Fact]
    public void Decode_NoIend_SaysTruncated()
    {
        byte[] png = new PngFile().Header(1, 1, 8, 2).Data([0, 1, 2, 3]).ToArray();

        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(png));

        Assert.Equal($"the PNG image is truncated: it ends at byte {png.Length} without an IEND chunk", error.Message);
    }

    [Fact]
    public void Decode_LargeHeaderWithTinyData_RejectedBeforeAllocating()
    {
        byte[] png = new PngFile().Header(6000, 6000, 8, 2).Data(new byte[1000]).End();
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(png));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000, "the decoder allocated the pixels of an image its data cannot hold");
        Assert.Matches(@"^the PNG image data is truncated: \d+ compressed bytes cannot hold the 108006000 bytes of a 6000×6000 8-bit RGB image$", error.Message);
    }
}
