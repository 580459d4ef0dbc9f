using Serval.Imaging;

namespace Serval.Ocr.Pixels;

/// <summary>
/// Bilinear resampling with OpenCV's INTER_LINEAR conventions (pixel centres at +0.5, edges
/// replicated, no anti-aliasing when shrinking), so the models see what PaddleOCR feeds them.
/// </summary>
internal static class Bilinear
{
    /// <summary>
    /// <paramref name="source"/> resized to <paramref name="width"/> × <paramref name="height"/>.
    /// Destination column x samples source x' = (x + 0.5) × (source width / width) − 0.5: shrinking
    /// 640 → 320, column 10 reads 20.5, halfway between source columns 20 and 21.
    /// </summary>
    public static RgbImage Resize(RgbImage source, int width, int height)
    {
        if (width == source.Width && height == source.Height)
        {
            return source;
        }

        var (x0, x1, wx) = Taps(source.Width, width);
        var (y0, y1, wy) = Taps(source.Height, height);
        byte[] src = source.Pixels;
        byte[] dst = new byte[checked(width * height * 3)];
        int stride = source.Width * 3;
        for (int y = 0; y < height; y++)
        {
            int row0 = y0[y] * stride, row1 = y1[y] * stride;
            float b = wy[y], a = 1 - b;
            int o = y * width * 3;
            for (int x = 0; x < width; x++)
            {
                int c0 = x0[x] * 3, c1 = x1[x] * 3;
                float r = wx[x], l = 1 - r;
                for (int c = 0; c < 3; c++, o++)
                {
                    float top = src[row0 + c0 + c] * l + src[row0 + c1 + c] * r;
                    float bottom = src[row1 + c0 + c] * l + src[row1 + c1 + c] * r;
                    dst[o] = (byte)(top * a + bottom * b + 0.5f);
                }
            }
        }

        return new RgbImage(width, height, dst);
    }

    /// <summary>
    /// Writes the R, G, B of <paramref name="source"/> at (<paramref name="x"/>, <paramref name="y"/>)
    /// into <paramref name="rgb"/>, clamping to the border (OpenCV's BORDER_REPLICATE).
    /// </summary>
    public static void Sample(RgbImage source, float x, float y, Span<byte> rgb)
    {
        int w = source.Width, h = source.Height;
        x = Math.Clamp(x, 0, w - 1);
        y = Math.Clamp(y, 0, h - 1);
        int ix = Math.Min((int)x, w - 1), iy = Math.Min((int)y, h - 1);
        int jx = Math.Min(ix + 1, w - 1), jy = Math.Min(iy + 1, h - 1);
        float fx = x - ix, fy = y - iy;
        byte[] p = source.Pixels;
        int o00 = source.Offset(ix, iy), o01 = source.Offset(jx, iy), o10 = source.Offset(ix, jy), o11 = source.Offset(jx, jy);
        for (int c = 0; c < 3; c++)
        {
            float top = p[o00 + c] + (p[o01 + c] - p[o00 + c]) * fx;
            float bottom = p[o10 + c] + (p[o11 + c] - p[o10 + c]) * fx;
            rgb[c] = (byte)(top + (bottom - top) * fy + 0.5f);
        }
    }

    /// <summary>For each destination index: the two source indices and the weight of the second.</summary>
    private static (int[] First, int[] Second, float[] Weight) Taps(int sourceSize, int size)
    {
        int[] first = new int[size], second = new int[size];
        float[] weight = new float[size];
        double scale = (double)sourceSize / size;
        for (int i = 0; i < size; i++)
        {
            double f = (i + 0.5) * scale - 0.5;
            int s = (int)Math.Floor(f);
            double w = f - s;
            if (s < 0)
            {
                s = 0;
                w = 0;
            }

            if (s >= sourceSize - 1)
            {
                s = sourceSize - 1;
                w = 0;
            }

            first[i] = s;
            second[i] = Math.Min(s + 1, sourceSize - 1);
            weight[i] = (float)w;
        }

        return (first, second, weight);
    }
}
