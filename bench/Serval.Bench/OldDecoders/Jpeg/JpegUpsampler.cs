using Serval.Imaging;

namespace Serval.Bench.OldDecoders.Jpeg;

/// <summary>
/// Produces one full-resolution row of a component, upsampling subsampled chroma as libjpeg-turbo
/// does by default ("fancy" upsampling, jdsample.c): a triangle filter for 2:1 horizontal (4:2:2),
/// 2:1 both ways (4:2:0) and 2:1 vertical, and plain replication for other ratios (4:1:1).
/// Edges repeat the outermost sample, as libjpeg does.
/// </summary>
internal sealed class JpegUpsampler
{
    private readonly JpegComponent _c;
    private readonly int _hRatio, _vRatio;
    private readonly bool _fancy;
    private readonly byte[] _row;

    public JpegUpsampler(JpegComponent component, JpegFrame frame)
    {
        _c = component;
        _hRatio = frame.MaxH / component.H;
        _vRatio = frame.MaxV / component.V;
        _fancy = (_hRatio, _vRatio) switch
        {
            (2, 1) or (2, 2) => component.Width > 2, // libjpeg-turbo's condition for its fancy h2v1 and h2v2
            (1, 2) => true,
            _ => false,
        };
        _row = new byte[component.Stride * _hRatio];
    }

    /// <summary>Output row <paramref name="y"/> of this component, at least the image's width long.</summary>
    public ReadOnlySpan<byte> Row(int y)
    {
        byte[] samples = _c.Samples;
        int stride = _c.Stride;
        int inRow = y / _vRatio;
        ReadOnlySpan<byte> near = samples.AsSpan(inRow * stride, stride);
        if (_hRatio == 1 && _vRatio == 1)
        {
            return near;
        }

        Span<byte> output = _row;
        if (!_fancy)
        {
            for (int x = 0, o = 0; x < _c.Width; x++, o += _hRatio)
            {
                output.Slice(o, _hRatio).Fill(near[x]);
            }

            return output;
        }

        if (_vRatio == 1)
        {
            H2V1(near, output, _c.Width);
            return output;
        }

        // The other input row: the one above for the upper output row of a pair, below for the lower.
        bool upper = y % 2 == 0;
        int otherRow = Math.Clamp(upper ? inRow - 1 : inRow + 1, 0, _c.Height - 1);
        ReadOnlySpan<byte> far = samples.AsSpan(otherRow * stride, stride);
        if (_hRatio == 1)
        {
            int bias = upper ? 1 : 2;
            for (int x = 0; x < _c.Width; x++)
            {
                output[x] = (byte)(((near[x] * 3) + far[x] + bias) >> 2);
            }
        }
        else
        {
            H2V2(near, far, output, _c.Width);
        }

        return output;
    }

    /// <summary>jdsample.c h2v1_fancy_upsample: each output is ¾ of its sample and ¼ of the next one out.</summary>
    private static void H2V1(ReadOnlySpan<byte> input, Span<byte> output, int width)
    {
        output[0] = input[0];
        output[1] = (byte)(((input[0] * 3) + input[1] + 2) >> 2);
        for (int x = 1; x < width - 1; x++)
        {
            int value = input[x] * 3;
            output[2 * x] = (byte)((value + input[x - 1] + 1) >> 2);
            output[(2 * x) + 1] = (byte)((value + input[x + 1] + 2) >> 2);
        }

        int last = width - 1;
        output[2 * last] = (byte)(((input[last] * 3) + input[last - 1] + 1) >> 2);
        output[(2 * last) + 1] = input[last];
    }

    /// <summary>jdsample.c h2v2_fancy_upsample: column sums 3 × near + far, then the same ¾–¼ mix across columns.</summary>
    private static void H2V2(ReadOnlySpan<byte> near, ReadOnlySpan<byte> far, Span<byte> output, int width)
    {
        int thisSum = (near[0] * 3) + far[0];
        int nextSum = (near[1] * 3) + far[1];
        output[0] = (byte)(((thisSum * 4) + 8) >> 4);
        output[1] = (byte)(((thisSum * 3) + nextSum + 7) >> 4);
        int lastSum = thisSum;
        thisSum = nextSum;
        for (int x = 1; x < width - 1; x++)
        {
            nextSum = (near[x + 1] * 3) + far[x + 1];
            output[2 * x] = (byte)(((thisSum * 3) + lastSum + 8) >> 4);
            output[(2 * x) + 1] = (byte)(((thisSum * 3) + nextSum + 7) >> 4);
            lastSum = thisSum;
            thisSum = nextSum;
        }

        int end = 2 * (width - 1);
        output[end] = (byte)(((thisSum * 3) + lastSum + 8) >> 4);
        output[end + 1] = (byte)(((thisSum * 4) + 7) >> 4);
    }
}
