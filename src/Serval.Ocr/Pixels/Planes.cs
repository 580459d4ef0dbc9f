using System.Runtime.InteropServices;
using Serval.Imaging;
using Serval.Core.Tensors;

namespace Serval.Ocr.Pixels;

/// <summary>
/// Writes pictures into NCHW float tensors the way PaddleOCR prepares them: it reads images with
/// OpenCV, so the planes are in B, G, R order, and each value is <c>byte × scale + bias</c>.
/// </summary>
internal static class Planes
{
    /// <summary>A zeroed float tensor of <paramref name="shape"/> and a writable view of its elements.</summary>
    public static (Tensor Tensor, byte[] Bytes) Allocate(long[] shape)
    {
        byte[] bytes = new byte[checked((int)Tensor.ElementCountOf(shape) * sizeof(float))];
        return (Tensor.FromBytes(TensorElementType.Float, shape, bytes), bytes);
    }

    /// <summary>
    /// Writes <paramref name="image"/> into item <paramref name="item"/> of a [N, 3, H, W] tensor
    /// (<paramref name="image"/> is H rows high and at most W wide; columns beyond it stay as they
    /// are). Plane c holds channel B, G, R for c = 0, 1, 2 with <paramref name="scale"/>[c] and
    /// <paramref name="bias"/>[c].
    /// </summary>
    public static void WriteBgr(RgbImage image, byte[] tensorBytes, int item, int height, int width,
        ReadOnlySpan<float> scale, ReadOnlySpan<float> bias)
    {
        if (image.Height != height || image.Width > width)
        {
            throw new ArgumentException($"a {image.Width}×{image.Height} picture does not fit a {width}×{height} plane", nameof(image));
        }

        Span<float> all = MemoryMarshal.Cast<byte, float>(tensorBytes.AsSpan());
        int plane = height * width;
        byte[] p = image.Pixels;
        for (int c = 0; c < 3; c++)
        {
            int rgb = 2 - c;
            float s = scale[c], b = bias[c];
            Span<float> dst = all.Slice((item * 3 + c) * plane, plane);
            for (int y = 0; y < height; y++)
            {
                int src = y * image.Width * 3 + rgb;
                Span<float> row = dst.Slice(y * width, image.Width);
                for (int x = 0; x < row.Length; x++, src += 3)
                {
                    row[x] = p[src] * s + b;
                }
            }
        }
    }
}
