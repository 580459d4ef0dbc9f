using Serval.Imaging;
using Serval.Ocr.Pixels;

namespace Serval.Ocr.Recognition;

/// <summary>
/// Prepares crops for the PP-OCRv4 recogniser as PaddleOCR's TextRecognizer does: scale to 48 rows
/// keeping the aspect (width = ceil(48 × w / h)), normalise to (v / 255 − 0.5) / 0.5, and pad on
/// the right with zeros to the batch's width.
/// </summary>
public static class RecPreprocess
{
    /// <summary>The model's input height.</summary>
    public const int Height = 48;

    /// <summary>
    /// The default widest crop, 3200 columns (a line 66 times as long as high, ~130 Latin
    /// characters at 48 px): PaddleOCR scales every line to 48 rows with no upper bound, since
    /// squeezing a long line narrows its characters below what the model was trained on; the
    /// bound only stops a pathological box from taking unbounded memory (3200 columns: 1.8 MB of
    /// input, 400 output steps).
    /// </summary>
    public const int DefaultMaxWidth = 3200;

    /// <summary>
    /// The default narrowest batch, 320 columns: PaddleOCR pads every batch to at least 320
    /// (rec_image_shape 3,48,320), the width the model was trained on, padding included; a short
    /// word alone in a 40-column input reads less reliably.
    /// </summary>
    public const int DefaultMinWidth = 320;

    private static readonly float[] Scale = [1 / 127.5f, 1 / 127.5f, 1 / 127.5f];
    private static readonly float[] Bias = [-1f, -1f, -1f];

    /// <summary>A crop's width at 48 rows: 200×40 → ceil(48 × 5) = 240, bounded by <paramref name="maxWidth"/>.</summary>
    public static int WidthOf(int width, int height, int maxWidth = DefaultMaxWidth)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        return (int)Math.Clamp(Math.Ceiling(Height * (double)width / height), 1, maxWidth);
    }

    /// <summary>
    /// One batch of <paramref name="crops"/>, padded to the widest of them, at least
    /// <paramref name="minWidth"/>, rounded up to a multiple of 8 (so every output step has 8 whole columns).
    /// </summary>
    public static RecBatch Batch(IReadOnlyList<RgbImage> crops, int minWidth = DefaultMinWidth, int maxWidth = DefaultMaxWidth)
    {
        if (crops.Count == 0)
        {
            throw new ArgumentException("a recognition batch needs at least one crop", nameof(crops));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxWidth);
        int[] widths = new int[crops.Count];
        int padded = Math.Max(minWidth, 1);
        for (int i = 0; i < crops.Count; i++)
        {
            widths[i] = WidthOf(crops[i].Width, crops[i].Height, maxWidth);
            padded = Math.Max(padded, widths[i]);
        }

        padded = (padded + RecBatch.Stride - 1) / RecBatch.Stride * RecBatch.Stride;
        var (tensor, bytes) = Planes.Allocate([crops.Count, 3, Height, padded]);
        for (int i = 0; i < crops.Count; i++)
        {
            Planes.WriteBgr(Bilinear.Resize(crops[i], widths[i], Height), bytes, i, Height, padded, Scale, Bias);
        }

        return new RecBatch(tensor, widths, padded);
    }
}
