using System.Numerics;
using Serval.Ocr.Geometry;

namespace Serval.Ocr.Detection;

/// <summary>
/// Turns the DB detector's probability map into text boxes, as PaddleOCR's DBPostProcess
/// (box_type "quad", score_mode "fast") and its detector's final filter do: threshold → regions →
/// minimum-area rectangle → mean probability inside → unclip → rectangle again → back to the
/// picture's pixels, clipped, dropping boxes 3 px or thinner.
/// </summary>
public static class DbPostprocess
{
    /// <summary>The boxes found in the output for <paramref name="input"/>.</summary>
    public static List<Quad> Run(ReadOnlySpan<float> probabilities, DetInput input, DbOptions? options = null) =>
        Run(probabilities, input.Width, input.Height, input.SourceWidth, input.SourceHeight, options);

    /// <summary>
    /// The boxes in a <paramref name="width"/> × <paramref name="height"/> probability map, in the
    /// pixels of a <paramref name="sourceWidth"/> × <paramref name="sourceHeight"/> picture.
    /// </summary>
    public static List<Quad> Run(ReadOnlySpan<float> probabilities, int width, int height,
        int sourceWidth, int sourceHeight, DbOptions? options = null)
    {
        options ??= new DbOptions();
        if (probabilities.Length != (long)width * height)
        {
            throw new ArgumentException($"a {width}×{height} probability map has {(long)width * height} values, got {probabilities.Length}", nameof(probabilities));
        }

        byte[] mask = new byte[probabilities.Length];
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = probabilities[i] > options.Threshold ? (byte)1 : (byte)0;
        }

        if (options.UseDilation)
        {
            mask = Dilate(mask, width, height);
        }

        var boxes = new List<Quad>();
        float scaleX = (float)sourceWidth / width, scaleY = (float)sourceHeight / height;
        foreach (Vector2[] points in Regions.Find(mask, width, height, options.MaxCandidates))
        {
            Quad rect = MinAreaRect.Of(ConvexHull.Of(points));
            if (rect.ShortSide < options.MinSize || MeanInside(probabilities, width, height, rect) < options.BoxThreshold)
            {
                continue;
            }

            Quad grown = Unclip.Expand(rect, options.UnclipRatio);
            if (grown.ShortSide < options.MinSize + 2)
            {
                continue;
            }

            // PaddleOCR rounds to the picture's pixels, then clips to the last row and column.
            Quad box = grown.Scale(scaleX, scaleY).RoundAndClip(sourceWidth - 1, sourceHeight - 1);
            if ((int)box.TopWidth <= 3 || (int)box.LeftHeight <= 3)
            {
                continue;
            }

            boxes.Add(box);
        }

        return boxes;
    }

    /// <summary>
    /// The mean probability over the pixels inside <paramref name="quad"/> (boundary included), its
    /// corners truncated to whole pixels as OpenCV's fillPoly takes them.
    /// </summary>
    public static float MeanInside(ReadOnlySpan<float> probabilities, int width, int height, Quad quad)
    {
        Span<Vector2> c = [Truncate(quad.TopLeft), Truncate(quad.TopRight), Truncate(quad.BottomRight), Truncate(quad.BottomLeft)];
        var (bx, by, bw, bh) = quad.Bounds();
        int x0 = Math.Clamp(bx, 0, width - 1), x1 = Math.Clamp(bx + bw, 0, width - 1);
        int y0 = Math.Clamp(by, 0, height - 1), y1 = Math.Clamp(by + bh, 0, height - 1);
        double sum = 0;
        int count = 0;
        for (int y = y0; y <= y1; y++)
        {
            for (int x = x0; x <= x1; x++)
            {
                if (Inside(c, new Vector2(x, y)))
                {
                    sum += probabilities[y * width + x];
                    count++;
                }
            }
        }

        return count == 0 ? 0 : (float)(sum / count);
    }

    private static Vector2 Truncate(Vector2 p) => new(MathF.Truncate(p.X), MathF.Truncate(p.Y));

    /// <summary>Inside or on the border of a convex polygon of either orientation.</summary>
    private static bool Inside(ReadOnlySpan<Vector2> polygon, Vector2 p)
    {
        bool anyPositive = false, anyNegative = false;
        for (int i = 0; i < polygon.Length; i++)
        {
            double cross = ConvexHull.Cross(polygon[i], polygon[(i + 1) % polygon.Length], p);
            anyPositive |= cross > 1e-6;
            anyNegative |= cross < -1e-6;
        }

        return !(anyPositive && anyNegative);
    }

    /// <summary>OpenCV's dilate with a 2×2 kernel: a pixel is set when it or its left, upper or upper-left neighbour is.</summary>
    private static byte[] Dilate(byte[] mask, int width, int height)
    {
        byte[] result = new byte[mask.Length];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = y * width + x;
                result[i] = (byte)(mask[i] | (x > 0 ? mask[i - 1] : 0) | (y > 0 ? mask[i - width] : 0) | (x > 0 && y > 0 ? mask[i - width - 1] : 0));
            }
        }

        return result;
    }
}
