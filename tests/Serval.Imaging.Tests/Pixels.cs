namespace Serval.Imaging.Tests;

/// <summary>Pixel comparisons with messages that name the first differing pixel.</summary>
public static class Pixels
{
    /// <summary>Asserts both images have the same size and the same bytes.</summary>
    public static void AssertEqual(RgbImage expected, RgbImage actual)
    {
        Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
        int index = expected.Pixels.AsSpan().CommonPrefixLength(actual.Pixels);
        if (index < expected.Pixels.Length)
        {
            int pixel = index / 3;
            Assert.Fail($"pixel ({pixel % expected.Width}, {pixel / expected.Width}) differs: expected {Rgb(expected, pixel)}, got {Rgb(actual, pixel)}");
        }
    }

    /// <summary>The mean and the largest absolute difference over all samples.</summary>
    public static (double Mean, int Max) Difference(RgbImage expected, RgbImage actual)
    {
        Assert.Equal((expected.Width, expected.Height), (actual.Width, actual.Height));
        long sum = 0;
        int max = 0;
        for (int i = 0; i < expected.Pixels.Length; i++)
        {
            int d = Math.Abs(expected.Pixels[i] - actual.Pixels[i]);
            sum += d;
            max = Math.Max(max, d);
        }

        return ((double)sum / expected.Pixels.Length, max);
    }

    private static string Rgb(RgbImage image, int pixel) =>
        $"({image.Pixels[pixel * 3]}, {image.Pixels[(pixel * 3) + 1]}, {image.Pixels[(pixel * 3) + 2]})";
}
