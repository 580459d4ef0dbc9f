using Serval.Imaging;
using Serval.Ocr.Pixels;

namespace Serval.Ocr.Detection;

/// <summary>
/// Prepares a picture for the DB text detector as PaddleOCR's DetResizeForTest (limit type "max")
/// and NormalizeImage do: shrink so the longer side is at most the limit, round each side to a
/// multiple of 32 (the network downsamples by 32), then (v / 255 − mean) / std per channel.
/// </summary>
public static class DetPreprocess
{
    /// <summary>The default longest side, PaddleOCR's det_limit_side_len.</summary>
    public const int DefaultLimitSide = 960;

    // ImageNet statistics, listed by PaddleOCR as [0.485, 0.456, 0.406] / [0.229, 0.224, 0.225]
    // and applied to an OpenCV (B, G, R) array: 0.485 goes with blue. The planes here are B, G, R too.
    private static readonly float[] Mean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] Std = [0.229f, 0.224f, 0.225f];
    private static readonly float[] Scale = [1 / (255 * Std[0]), 1 / (255 * Std[1]), 1 / (255 * Std[2])];
    private static readonly float[] Bias = [-Mean[0] / Std[0], -Mean[1] / Std[1], -Mean[2] / Std[2]];

    /// <summary>
    /// The resized size: 1920×1080 with limit 960 → ratio 0.5 → 960×540 → 960×544 (540 / 32 =
    /// 16.9 rounds to 17). Pictures within the limit keep their scale; no side is below 32.
    /// </summary>
    public static (int Width, int Height) TargetSize(int width, int height, int limitSide = DefaultLimitSide)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limitSide, 32);
        double ratio = Math.Max(width, height) > limitSide ? (double)limitSide / Math.Max(width, height) : 1;
        return (RoundTo32((int)(width * ratio)), RoundTo32((int)(height * ratio)));
    }

    /// <summary>The input tensor for <paramref name="image"/>.</summary>
    public static DetInput Run(RgbImage image, int limitSide = DefaultLimitSide)
    {
        var (width, height) = TargetSize(image.Width, image.Height, limitSide);
        RgbImage resized = Bilinear.Resize(image, width, height);
        var (tensor, bytes) = Planes.Allocate([1, 3, height, width]);
        Planes.WriteBgr(resized, bytes, 0, height, width, Scale, Bias);
        return new DetInput(tensor, width, height, image.Width, image.Height);
    }

    // Python's round() (as PaddleOCR uses) rounds halves to even: 16.5 → 16.
    private static int RoundTo32(int size) => Math.Max((int)Math.Round(size / 32.0, MidpointRounding.ToEven) * 32, 32);
}
