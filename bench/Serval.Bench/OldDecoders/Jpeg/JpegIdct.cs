using Serval.Imaging;

namespace Serval.Bench.OldDecoders.Jpeg;

/// <summary>
/// The 8×8 inverse DCT of libjpeg's "islow" method (jidctint.c, the default of libjpeg-turbo and so
/// of ImageMagick and most tools): a scaled integer Loeffler–Ligtenberg–Moschytz transform with
/// 13-bit constants. Same arithmetic, so the same samples, as libjpeg-turbo.
/// </summary>
internal static class JpegIdct
{
    private const int ConstBits = 13;
    private const int Pass1Bits = 2;

    // FIX(x) = round(x * 2^13)
    private const int Fix0298631336 = 2446;
    private const int Fix0390180644 = 3196;
    private const int Fix0541196100 = 4433;
    private const int Fix0765366865 = 6270;
    private const int Fix0899976223 = 7373;
    private const int Fix1175875602 = 9633;
    private const int Fix1501321110 = 12299;
    private const int Fix1847759065 = 15137;
    private const int Fix1961570560 = 16069;
    private const int Fix2053119869 = 16819;
    private const int Fix2562915447 = 20995;
    private const int Fix3072711026 = 25172;

    /// <summary>
    /// libjpeg's post-IDCT range limit, indexed by (value &amp; 1023) where value is the output before
    /// +128: 0–127 → 128–255, 128–383 → 255, 384–895 → 0, 896–1023 (−128…−1) → 0–127.
    /// </summary>
    private static readonly byte[] RangeLimit = BuildRangeLimit();

    /// <summary>
    /// Dequantizes <paramref name="coefficients"/> (natural order) with <paramref name="quant"/> and writes the 8×8
    /// samples to <paramref name="output"/>, rows <paramref name="stride"/> bytes apart. <paramref name="work"/> holds 64 ints.
    /// </summary>
    public static void Transform(ReadOnlySpan<short> coefficients, ReadOnlySpan<int> quant, Span<int> work, Span<byte> output, int stride)
    {
        ReadOnlySpan<short> c = coefficients[..64];
        ReadOnlySpan<int> q = quant[..64];
        Span<int> w = work[..64];

        // Pass 1: columns, into work, scaled up by 2^Pass1Bits.
        for (int col = 0; col < 8; col++)
        {
            if (c[8 + col] == 0 && c[16 + col] == 0 && c[24 + col] == 0 && c[32 + col] == 0
                && c[40 + col] == 0 && c[48 + col] == 0 && c[56 + col] == 0)
            {
                int dc = c[col] * q[col] << Pass1Bits;
                w[col] = w[8 + col] = w[16 + col] = w[24 + col] = w[32 + col] = w[40 + col] = w[48 + col] = w[56 + col] = dc;
                continue;
            }

            // Even part
            int z2 = c[16 + col] * q[16 + col], z3 = c[48 + col] * q[48 + col];
            int z1 = (z2 + z3) * Fix0541196100;
            int tmp2 = z1 - (z3 * Fix1847759065);
            int tmp3 = z1 + (z2 * Fix0765366865);
            z2 = c[col] * q[col];
            z3 = c[32 + col] * q[32 + col];
            int tmp0 = (z2 + z3) << ConstBits;
            int tmp1 = (z2 - z3) << ConstBits;
            int tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;

            // Odd part
            Odd(c[56 + col] * q[56 + col], c[40 + col] * q[40 + col], c[24 + col] * q[24 + col], c[8 + col] * q[8 + col], out tmp0, out tmp1, out tmp2, out tmp3);

            const int shift = ConstBits - Pass1Bits, round = 1 << (shift - 1);
            w[col] = (tmp10 + tmp3 + round) >> shift;
            w[56 + col] = (tmp10 - tmp3 + round) >> shift;
            w[8 + col] = (tmp11 + tmp2 + round) >> shift;
            w[48 + col] = (tmp11 - tmp2 + round) >> shift;
            w[16 + col] = (tmp12 + tmp1 + round) >> shift;
            w[40 + col] = (tmp12 - tmp1 + round) >> shift;
            w[24 + col] = (tmp13 + tmp0 + round) >> shift;
            w[32 + col] = (tmp13 - tmp0 + round) >> shift;
        }

        // Pass 2: rows, from work to samples, scaled down by 2^(ConstBits + Pass1Bits + 3) and range-limited.
        byte[] limit = RangeLimit;
        for (int row = 0; row < 8; row++)
        {
            ReadOnlySpan<int> r = w.Slice(row * 8, 8);
            Span<byte> o = output.Slice(row * stride, 8);
            if (r[1] == 0 && r[2] == 0 && r[3] == 0 && r[4] == 0 && r[5] == 0 && r[6] == 0 && r[7] == 0)
            {
                o.Fill(limit[((r[0] + (1 << (Pass1Bits + 2))) >> (Pass1Bits + 3)) & 1023]);
                continue;
            }

            int z2 = r[2], z3 = r[6];
            int z1 = (z2 + z3) * Fix0541196100;
            int tmp2 = z1 - (z3 * Fix1847759065);
            int tmp3 = z1 + (z2 * Fix0765366865);
            int tmp0 = (r[0] + r[4]) << ConstBits;
            int tmp1 = (r[0] - r[4]) << ConstBits;
            int tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2;
            Odd(r[7], r[5], r[3], r[1], out tmp0, out tmp1, out tmp2, out tmp3);

            const int shift = ConstBits + Pass1Bits + 3, round = 1 << (shift - 1);
            o[0] = limit[((tmp10 + tmp3 + round) >> shift) & 1023];
            o[7] = limit[((tmp10 - tmp3 + round) >> shift) & 1023];
            o[1] = limit[((tmp11 + tmp2 + round) >> shift) & 1023];
            o[6] = limit[((tmp11 - tmp2 + round) >> shift) & 1023];
            o[2] = limit[((tmp12 + tmp1 + round) >> shift) & 1023];
            o[5] = limit[((tmp12 - tmp1 + round) >> shift) & 1023];
            o[3] = limit[((tmp13 + tmp0 + round) >> shift) & 1023];
            o[4] = limit[((tmp13 - tmp0 + round) >> shift) & 1023];
        }
    }

    /// <summary>The odd part of the 8-point transform, from inputs 7, 5, 3 and 1 (jidctint.c).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void Odd(int in7, int in5, int in3, int in1, out int tmp0, out int tmp1, out int tmp2, out int tmp3)
    {
        int z1 = in7 + in1, z2 = in5 + in3, z3 = in7 + in3, z4 = in5 + in1;
        int z5 = (z3 + z4) * Fix1175875602;
        z1 *= -Fix0899976223;
        z2 *= -Fix2562915447;
        z3 = (z3 * -Fix1961570560) + z5;
        z4 = (z4 * -Fix0390180644) + z5;
        tmp0 = (in7 * Fix0298631336) + z1 + z3;
        tmp1 = (in5 * Fix2053119869) + z2 + z4;
        tmp2 = (in3 * Fix3072711026) + z2 + z3;
        tmp3 = (in1 * Fix1501321110) + z1 + z4;
    }

    private static byte[] BuildRangeLimit()
    {
        var table = new byte[1024];
        for (int i = 0; i < 1024; i++)
        {
            table[i] = i switch
            {
                < 128 => (byte)(i + 128),
                < 384 => 255,
                < 896 => 0,
                _ => (byte)(i - 896),
            };
        }

        return table;
    }
}
