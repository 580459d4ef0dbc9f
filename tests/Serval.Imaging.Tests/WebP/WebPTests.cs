using Serval.Imaging.Exif;
using Serval.Imaging.Tests.Jpeg;

namespace Serval.Imaging.Tests.WebP;

/// <summary>WebP through Skia (libwebp), from files encoded here from the PNG fixture's pixels.</summary>
public class WebPTests
{
    private static readonly RgbImage Rose = Fixture.Expected("png-rgb8.png");

    [Fact]
    public void Decode_Lossless_SamePixels()
    {
        byte[] webp = WebPFile.Encode(Rose, lossless: true);

        Pixels.AssertEqual(Rose, ImageDecoder.Decode(webp));
    }

    [Fact]
    public void Decode_LossyAtQuality90_CloseToTheSource()
    {
        byte[] webp = WebPFile.Encode(Rose, lossless: false, quality: 90);

        (double mean, int max) = Pixels.Difference(Rose, ImageDecoder.Decode(webp));

        // 37×23 of fine detail, chroma at half resolution: 7.0 here; a broken decode is ~60.
        Assert.True(mean < 10, $"mean difference {mean:F2} (max {max}) from the source");
    }

    [Fact]
    public void Decode_Transparency_IsCompositedOverWhite()
    {
        // Red at alpha 0, 128 and 255: white, (255, 127, 127) as Over(0, 128) = 127, red.
        byte[] webp = WebPFile.Encode(3, 1, [255, 0, 0, 0, 255, 0, 0, 128, 255, 0, 0, 255], lossless: true);

        RgbImage image = ImageDecoder.Decode(webp);

        Assert.Equal([255, 255, 255, 255, 127, 127, 255, 0, 0], image.Pixels);
    }

    [Theory]
    [InlineData(6)]
    [InlineData(3)]
    public void Decode_ExifChunkOrientation_IsApplied(int orientation)
    {
        byte[] simple = WebPFile.Encode(Rose, lossless: true);
        byte[] tiff = JpegFile.ExifSegment(orientation)[10..];

        RgbImage turned = ImageDecoder.Decode(WebPFile.WithExif(simple, Rose.Width, Rose.Height, tiff));

        Pixels.AssertEqual(ExifOrientation.Apply(Rose, orientation), turned);
    }

    [Fact]
    public void Decode_OverTheCallersLimit_NamesSizeAndLimit()
    {
        var error = Assert.Throws<ImageTooLargeException>(() => ImageDecoder.Decode(WebPFile.Encode(Rose, lossless: true), new ImageLimits { MaxPixels = 800 }));

        Assert.Equal("the WebP image is 37×23 = 851 pixels, more than the limit of 800 (ImageLimits.MaxPixels)", error.Message);
    }

    [Fact]
    public void Decode_Truncated_SaysHowManyBytesTheRiffHeaderGives()
    {
        byte[] webp = WebPFile.Encode(Rose, lossless: true);

        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode(webp.AsSpan(0, webp.Length / 2)));

        Assert.Equal($"the WebP image is truncated: its RIFF header gives {webp.Length} bytes, {webp.Length / 2} are there", error.Message);
    }

    [Fact]
    public void Decode_ShorterThanTheRiffHeader_SaysTruncated()
    {
        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode("RIFF\u0010\0\0\0WE"u8));

        Assert.Equal("the WebP image is truncated: it is 10 bytes, shorter than the 12-byte RIFF header", error.Message);
    }

    [Fact]
    public void Decode_NoImageChunk_IsAFormatError()
    {
        var error = Assert.Throws<ImageFormatException>(() => ImageDecoder.Decode("RIFF\u000C\0\0\0WEBPVP8 \0\0\0\0"u8));

        Assert.StartsWith("the WebP image is damaged: ", error.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Decode_Damaged_OnlyFormatErrors(bool lossless)
    {
        byte[] original = WebPFile.Encode(Rose, lossless, quality: 80);
        var random = new Random(20240603);
        int failures = 0;
        for (int i = 0; i < 200; i++)
        {
            failures += FuzzTests.DecodeOrFormatError(FuzzTests.Damage(original, random, i), $"case {i}") ? 0 : 1;
        }

        Assert.True(failures >= 100, $"only {failures} of 200 damaged files were refused (every cut one should be)");
    }
}
