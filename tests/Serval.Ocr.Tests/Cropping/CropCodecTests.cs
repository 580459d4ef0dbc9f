using Serval.Imaging;
using Serval.Ocr.Cropping;

namespace Serval.Ocr.Tests.Cropping;

public class CropCodecTests
{
    [Fact]
    public void EncodeDecode_RoundTrips()
    {
        RgbImage crop = CropPerspectiveTests.Pattern(7, 3, (x, y) => ((byte)x, (byte)y, (byte)(x * y)));

        byte[] data = CropCodec.Encode(crop);
        RgbImage back = CropCodec.Decode(data);

        Assert.Equal(12 + 7 * 3 * 3, data.Length);
        Assert.Equal("RGB1"u8.ToArray(), data[..4]);
        Assert.Equal((7, 3), (back.Width, back.Height));
        Assert.Equal(crop.Pixels, back.Pixels);
    }

    [Fact]
    public void Decode_NotACrop_SaysSo()
    {
        var e = Assert.Throws<FormatException>(() => CropCodec.Decode(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13 }));

        Assert.Contains("not an encoded crop", e.Message);
        Assert.Contains("starting with 89504E47", e.Message);
    }

    [Fact]
    public void Decode_TooShort_SaysSo()
    {
        var e = Assert.Throws<FormatException>(() => CropCodec.Decode("RGB"u8));

        Assert.Contains("got 3 bytes", e.Message);
    }

    [Fact]
    public void Decode_WrongLength_NamesTheExpectedLength()
    {
        byte[] data = CropCodec.Encode(new RgbImage(4, 2));

        var e = Assert.Throws<FormatException>(() => CropCodec.Decode(data.AsSpan(0, data.Length - 1)));

        Assert.Contains("an encoded 4×2 crop is 36 bytes, got 35", e.Message);
    }

    [Fact]
    public void Decode_SizeOutOfRange_SaysSo()
    {
        byte[] data = CropCodec.Encode(new RgbImage(1, 1));
        data[4] = 0;

        var e = Assert.Throws<FormatException>(() => CropCodec.Decode(data));

        Assert.Contains("size 0×1 is out of range", e.Message);
    }
}
