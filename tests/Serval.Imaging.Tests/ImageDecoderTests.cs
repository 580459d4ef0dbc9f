namespace Serval.Imaging.Tests;

public class ImageDecoderTests
{
    [Fact]
    public void Decode_Empty_SaysEmpty()
    {
        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode([]));

        Assert.Equal("the image data is empty (0 bytes)", error.Message);
    }

    [Fact]
    public void Decode_Json_SaysNotAnImageWithFirstBytes()
    {
        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode("{\"jsonData\": 1}"u8));

        Assert.Equal("the data is not a PNG, JPEG or WebP image (it starts with 7B 22 6A 73)", error.Message);
    }

    [Fact]
    public void Decode_OneByte_ShowsThatByte()
    {
        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode([0x42]));

        Assert.Equal("the data is not a PNG, JPEG or WebP image (it starts with 42)", error.Message);
    }

    [Theory]
    [InlineData("GIF89a\u0001\u0000\u0001\u0000", "GIF")]
    [InlineData("BM\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0000\u0028\u0000\u0000\u0000", "BMP")]
    [InlineData("\u0000\u0000\u0000\u0018ftypheic\u0000\u0000", "HEIF/HEIC")]
    [InlineData("II*\u0000\u0008\u0000", "TIFF")]
    public void Decode_OtherImageFormat_NamesIt(string start, string format)
    {
        byte[] data = [.. start.Select(c => (byte)c)];

        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(data));

        Assert.Equal($"the data is a {format} image, which is not supported (only PNG, JPEG and WebP are)", error.Message);
    }

    [Fact]
    public void Decode_PartOfPngSignature_SaysTruncated()
    {
        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode([0x89, 0x50, 0x4E, 0x47]));

        Assert.Equal("the PNG image is truncated: it is 4 bytes, shorter than the 8-byte PNG signature", error.Message);
    }

    [Fact]
    public void Decode_OverTheCallersLimit_NamesSizeAndLimit()
    {
        var error = Assert.Throws<ImageTooLargeException>(() => ImageDecoder.Decode(Fixture.Bytes("png-rgb8.png"), new ImageLimits { MaxPixels = 800 }));

        Assert.Equal("the PNG image is 37×23 = 851 pixels, more than the limit of 800 (ImageLimits.MaxPixels)", error.Message);
    }

    [Fact]
    public void Decode_LimitOfZero_IsAnArgumentError()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ImageDecoder.Decode(Fixture.Bytes("png-rgb8.png"), new ImageLimits { MaxPixels = 0 }));
    }
}
