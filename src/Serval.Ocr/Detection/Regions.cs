using System.Numerics;

namespace Serval.Ocr.Detection;

/// <summary>
/// The 8-connected regions of a binary mask, each reduced to the points its convex hull needs:
/// the leftmost and rightmost pixel of every row it spans. OpenCV's findContours (as PaddleOCR
/// calls it) traces the same outer borders; holes inside a region are not reported.
/// </summary>
internal static class Regions
{
    /// <summary>
    /// Up to <paramref name="maxCount"/> regions of the non-zero pixels of <paramref name="mask"/>
    /// (<paramref name="width"/> × <paramref name="height"/>, row-major), in the order a row-major
    /// scan meets them. Pixel (x, y) is the point (x, y).
    /// </summary>
    public static List<Vector2[]> Find(byte[] mask, int width, int height, int maxCount)
    {
        var regions = new List<Vector2[]>();
        bool[] seen = new bool[mask.Length];
        var stack = new Stack<int>();
        var pixels = new List<int>();
        for (int start = 0; start < mask.Length && regions.Count < maxCount; start++)
        {
            if (mask[start] == 0 || seen[start])
            {
                continue;
            }

            pixels.Clear();
            seen[start] = true;
            stack.Push(start);
            int minY = start / width, maxY = minY;
            while (stack.Count > 0)
            {
                int p = stack.Pop();
                pixels.Add(p);
                int px = p % width, py = p / width;
                maxY = Math.Max(maxY, py);
                for (int dy = -1; dy <= 1; dy++)
                {
                    int y = py + dy;
                    if ((uint)y >= (uint)height)
                    {
                        continue;
                    }

                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int x = px + dx;
                        int q = y * width + x;
                        if ((uint)x < (uint)width && mask[q] != 0 && !seen[q])
                        {
                            seen[q] = true;
                            stack.Push(q);
                        }
                    }
                }
            }

            regions.Add(RowExtremes(pixels, width, minY, maxY));
        }

        return regions;
    }

    private static Vector2[] RowExtremes(List<int> pixels, int width, int minY, int maxY)
    {
        int rows = maxY - minY + 1;
        int[] left = new int[rows], right = new int[rows];
        Array.Fill(left, int.MaxValue);
        Array.Fill(right, -1);
        foreach (int p in pixels)
        {
            int r = p / width - minY, x = p % width;
            left[r] = Math.Min(left[r], x);
            right[r] = Math.Max(right[r], x);
        }

        var points = new List<Vector2>(rows * 2);
        for (int r = 0; r < rows; r++)
        {
            if (right[r] < 0)
            {
                continue;
            }

            points.Add(new Vector2(left[r], minY + r));
            if (right[r] != left[r])
            {
                points.Add(new Vector2(right[r], minY + r));
            }
        }

        return points.ToArray();
    }
}
