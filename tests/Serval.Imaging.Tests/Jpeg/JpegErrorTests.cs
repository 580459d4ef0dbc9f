namespace Serval.Imaging.Tests.Jpeg;

public class JpegErrorTests
{
    private static readonly byte[] Baseline = Fixture.Bytes("jpeg-420-odd.jpg");
    private static readonly byte[] Progressive = Fixture.Bytes("jpeg-progressive.jpg");

    [Theory]
    [InlineData(3)] // inside the first marker
    [InlineData(0xC4, 10)] // inside a Huffman table
    [InlineData(0xDB, 30)] // inside a quantization table
    [InlineData(0xC0, 8)] // inside the frame header
    [InlineData(0xDA, 5)] // inside the scan header
    public void Decode_CutInsideHeaderSegment_SaysTruncated(int marker, int into = 0)
    {
        int cut = into == 0 ? marker : JpegFile.First(Baseline, marker).Offset + into;

        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(Baseline.AsSpan(0, cut)));

        Assert.StartsWith("the JPEG image is truncated: ", error.Message);
    }

    [Fact]
    public void Decode_CutInsideDqt_NamesSegmentOffsetAndSizes()
    {
        var dqt = JpegFile.First(Baseline, 0xDB);

        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(Baseline.AsSpan(0, dqt.Offset + 30)));

        Assert.Equal($"the JPEG image is truncated: segment DQT at byte {dqt.Offset} needs {dqt.Length - 2} bytes, 28 remain", error.Message);
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void Decode_CutInsideScanData_SaysTruncatedWithoutEoi(double fraction)
    {
        var sos = JpegFile.First(Baseline, 0xDA);
        int scanStart = sos.Offset + sos.Length;
        int cut = scanStart + (int)((Baseline.Length - 2 - scanStart) * fraction);

        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(Baseline.AsSpan(0, cut)));

        Assert.Equal($"the JPEG image is truncated: it ends at byte {cut} without an end-of-image marker (EOI)", error.Message);
    }

    [Theory]
    [InlineData(2)] // only EOI missing
    [InlineData(1)]
    public void Decode_EndOfImageMarkerMissing_SaysTruncated(int cut)
    {
        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(Baseline.AsSpan(0, Baseline.Length - cut)));

        Assert.Equal($"the JPEG image is truncated: it ends at byte {Baseline.Length - cut} without an end-of-image marker (EOI)", error.Message);
    }

    [Fact]
    public void Decode_ProgressiveCutAtEveryTenthOfItsLength_AlwaysFormatError()
    {
        for (int tenth = 1; tenth < 10; tenth++)
        {
            int cut = Progressive.Length * tenth / 10;
            var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(Progressive.AsSpan(0, cut)));
            Assert.StartsWith("the JPEG image is truncated: ", error.Message);
        }
    }

    [Fact]
    public void Decode_JustSoi_SaysTruncated()
    {
        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode([0xFF, 0xD8]));

        Assert.Equal("the JPEG image is truncated: it is 2 bytes", error.Message);
    }

    [Fact]
    public void Decode_TwoComponents_NotSupported()
    {
        byte[] jpeg = (byte[])Baseline.Clone();
        jpeg[JpegFile.First(jpeg, 0xC0).Offset + 9] = 2;

        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(jpeg));

        Assert.Equal("the JPEG image has 2 colour components, which is not supported (only 1, greyscale, 3, YCbCr/RGB, and 4, CMYK/YCCK)", error.Message);
    }

    [Fact]
    public void Decode_TwelveBitSamples_NotSupported()
    {
        byte[] jpeg = (byte[])Baseline.Clone();
        jpeg[JpegFile.First(jpeg, 0xC0).Offset + 4] = 12;

        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(jpeg));

        Assert.Equal("the JPEG image has 12-bit samples, which is not supported (only 8-bit)", error.Message);
    }

    [Theory]
    [InlineData(0xC3, "the JPEG image is lossless (SOF3), which is not supported")]
    [InlineData(0xC5, "the JPEG image is hierarchical (SOF5), which is not supported")]
    [InlineData(0xCB, "the JPEG image is lossless (SOF11), which is not supported")]
    public void Decode_OtherFrameTypes_NotSupported(byte sof, string message)
    {
        byte[] jpeg = (byte[])Baseline.Clone();
        jpeg[JpegFile.First(jpeg, 0xC0).Offset + 1] = sof;

        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(jpeg));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Decode_HeightGivenLaterByDnl_NotSupported()
    {
        byte[] jpeg = (byte[])Baseline.Clone();
        int sof = JpegFile.First(jpeg, 0xC0).Offset;
        (jpeg[sof + 5], jpeg[sof + 6]) = (0, 0);

        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(jpeg));

        Assert.Equal("the JPEG image gives its height later in a DNL marker, which is not supported", error.Message);
    }

    [Fact]
    public void Decode_HeaderClaimingHugeImage_RejectedBeforeAllocating()
    {
        byte[] jpeg = (byte[])Baseline.Clone();
        int sof = JpegFile.First(jpeg, 0xC0).Offset;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 5), 65500); // libjpeg-turbo's largest side
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(sof + 7), 65500);
        long before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<ImageTooLargeException>(() => ImageDecoder.Decode(jpeg));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000, "the decoder allocated a large buffer before checking the size");
        Assert.Equal("the JPEG image is 65500×65500 = 4290250000 pixels, more than the limit of 40000000 (ImageLimits.MaxPixels)", error.Message);
    }

    [Fact]
    public void Decode_SideOverLibjpegsMaximum_SaysSo()
    {
        byte[] jpeg = (byte[])Baseline.Clone();
        jpeg.AsSpan(JpegFile.First(jpeg, 0xC0).Offset + 5, 4).Fill(0xFF);

        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(jpeg));

        Assert.Equal("the JPEG image is 65535×65535 pixels; libjpeg-turbo decodes at most 65500 a side", error.Message);
    }

    [Fact]
    public void Decode_ScanBeforeFrameHeader_SaysOrder()
    {
        var sof = JpegFile.First(Baseline, 0xC0);
        byte[] jpeg = [.. Baseline[..sof.Offset], .. Baseline[(sof.Offset + sof.Length)..]];

        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(jpeg));

        Assert.Matches(@"^the JPEG image is damaged: a scan \(SOS\) at byte \d+ comes before the frame header \(SOF\)$", error.Message);
    }

    [Fact]
    public void Decode_UndefinedHuffmanTable_NamesIt()
    {
        byte[] jpeg = (byte[])Baseline.Clone();
        var sos = JpegFile.First(jpeg, 0xDA);
        jpeg[sos.Offset + 6] = 0x33; // first component: DC table 3, AC table 3

        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(jpeg));

        Assert.Equal("the JPEG image is damaged: a scan uses Huffman table DC3, which is not defined", error.Message);
    }

    [Fact]
    public void Decode_MoreThanAHundredScans_Refused()
    {
        int lastScan = Progressive.AsSpan().LastIndexOf([(byte)0xFF, (byte)0xDA]);
        byte[] scan = Progressive[lastScan..^2];
        var jpeg = new List<byte>(Progressive[..lastScan]);
        for (int i = 0; i < 101; i++)
        {
            jpeg.AddRange(scan);
        }

        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode([.. jpeg, 0xFF, 0xD9]));

        Assert.Equal("the JPEG image has more than 100 scans, which is not supported", error.Message);
    }
}
