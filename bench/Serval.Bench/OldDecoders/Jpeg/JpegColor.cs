using Serval.Imaging;

namespace Serval.Bench.OldDecoders.Jpeg;

/// <summary>How a JPEG's three components map to RGB.</summary>
internal enum JpegColorSpace
{
    Grey,
    YCbCr,
    Rgb,
}

/// <summary>
/// Turns the decoded component planes into an <see cref="RgbImage"/>: upsampling, then YCbCr → RGB
/// with libjpeg's 16-bit fixed-point tables (jdcolor.c), so the result matches libjpeg-turbo.
/// </summary>
internal static class JpegColor
{
    private const int ScaleBits = 16;
    private const int Half = 1 << (ScaleBits - 1);
    private static readonly int[] CrToR = new int[256], CbToB = new int[256], CrToG = new int[256], CbToG = new int[256];

    static JpegColor()
    {
        for (int i = 0; i < 256; i++)
        {
            int x = i - 128;
            CrToR[i] = ((Fix(1.40200) * x) + Half) >> ScaleBits;
            CbToB[i] = ((Fix(1.77200) * x) + Half) >> ScaleBits;
            CrToG[i] = -Fix(0.71414) * x;
            CbToG[i] = (-Fix(0.34414) * x) + Half;
        }
    }

    public static RgbImage ToRgb(JpegFrame frame, JpegColorSpace space)
    {
        var image = new RgbImage(frame.Width, frame.Height);
        int width = frame.Width;
        var upsamplers = new JpegUpsampler[frame.Components.Length];
        for (int i = 0; i < upsamplers.Length; i++)
        {
            upsamplers[i] = new JpegUpsampler(frame.Components[i], frame);
        }

        int[] crToR = CrToR, cbToB = CbToB, crToG = CrToG, cbToG = CbToG;
        for (int y = 0; y < frame.Height; y++)
        {
            Span<byte> output = image.Pixels.AsSpan(y * width * 3, width * 3);
            ReadOnlySpan<byte> first = upsamplers[0].Row(y)[..width];
            if (space == JpegColorSpace.Grey)
            {
                for (int x = 0; x < width; x++)
                {
                    output[3 * x] = output[(3 * x) + 1] = output[(3 * x) + 2] = first[x];
                }

                continue;
            }

            ReadOnlySpan<byte> second = upsamplers[1].Row(y)[..width];
            ReadOnlySpan<byte> third = upsamplers[2].Row(y)[..width];
            if (space == JpegColorSpace.Rgb)
            {
                for (int x = 0; x < width; x++)
                {
                    output[3 * x] = first[x];
                    output[(3 * x) + 1] = second[x];
                    output[(3 * x) + 2] = third[x];
                }

                continue;
            }

            for (int x = 0; x < width; x++)
            {
                int luma = first[x], cb = second[x], cr = third[x];
                output[3 * x] = Clamp(luma + crToR[cr]);
                output[(3 * x) + 1] = Clamp(luma + ((cbToG[cb] + crToG[cr]) >> ScaleBits));
                output[(3 * x) + 2] = Clamp(luma + cbToB[cb]);
            }
        }

        return image;
    }

    private static int Fix(double x) => (int)((x * (1 << ScaleBits)) + 0.5);

    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);
}
