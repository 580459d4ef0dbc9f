using System.Buffers.Binary;
using Serval.Imaging.Tests.Png;

namespace Serval.Imaging.Tests;

/// <summary>
/// Damaged copies of the fixtures (cut short, bytes flipped) must decode or fail with
/// <see cref="ImageFormatException"/>, never another exception or a hang. Seeded, so every run is the same.
/// </summary>
public class FuzzTests
{
    private const int Cases = 200;
    private static readonly ImageLimits Limits = new() { MaxPixels = 4_000_000 };

    [Theory]
    [InlineData("png-rgb8.png")]
    [InlineData("png-interlaced-palette4.png")]
    [InlineData("png-rgba16.png")]
    public void Decode_DamagedPng_OnlyFormatErrors(string name)
    {
        byte[] original = Fixture.Bytes(name);
        var random = new Random(20240601);
        int failures = 0;
        for (int i = 0; i < Cases; i++)
        {
            byte[] damaged = Damage(original, random, i);
            if (i % 3 == 2)
            {
                FixCrcs(damaged); // let the flipped bytes through the CRC check, into the decoder
            }

            failures += DecodeOrFormatError(damaged, $"{name} case {i}") ? 0 : 1;
        }

        Assert.True(failures > Cases / 2, $"only {failures} of {Cases} damaged files were refused");
    }

    [Theory]
    [InlineData("jpeg-restart-mcu.jpg")]
    [InlineData("jpeg-progressive.jpg")]
    [InlineData("jpeg-progressive-restart.jpg")]
    [InlineData("jpeg-411.jpg")]
    public void Decode_DamagedJpeg_OnlyFormatErrors(string name)
    {
        byte[] original = Fixture.Bytes(name);
        var random = new Random(20240602);
        int failures = 0;
        for (int i = 0; i < Cases; i++)
        {
            failures += DecodeOrFormatError(Damage(original, random, i), $"{name} case {i}") ? 0 : 1;
        }

        Assert.True(failures >= Cases / 2, $"only {failures} of {Cases} damaged files were refused (every cut one should be)");
    }

    /// <summary>Case i: even cases cut the file, odd ones flip 1 to 4 bytes.</summary>
    internal static byte[] Damage(byte[] original, Random random, int i)
    {
        if (i % 2 == 0)
        {
            return original[..random.Next(1, original.Length)];
        }

        byte[] damaged = (byte[])original.Clone();
        int flips = random.Next(1, 5);
        for (int f = 0; f < flips; f++)
        {
            damaged[random.Next(damaged.Length)] ^= (byte)(1 << random.Next(8));
        }

        return damaged;
    }

    /// <summary>True when the data decoded, false when it failed with <see cref="ImageFormatException"/>; any other exception fails the test.</summary>
    internal static bool DecodeOrFormatError(byte[] data, string what)
    {
        try
        {
            RgbImage image = ImageDecoder.Decode(data, Limits);
            Assert.Equal(image.Width * image.Height * 3, image.Pixels.Length);
            return true;
        }
        catch (ImageFormatException)
        {
            return false;
        }
        catch (Exception e)
        {
            Assert.Fail($"{what}: {e.GetType().Name} instead of ImageFormatException: {e}");
            return false;
        }
    }

    private static void FixCrcs(byte[] png)
    {
        foreach (var (_, offset, length) in PngFile.Chunks(png))
        {
            if (length >= 0 && offset + length + 4 <= png.Length)
            {
                BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(offset + length), PngFile.Crc(png.AsSpan(offset - 4, 4), png.AsSpan(offset, length)));
            }
        }
    }
}
