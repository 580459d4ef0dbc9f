using Serval.Imaging;

namespace Serval.Bench.OldDecoders.Jpeg;

/// <summary>
/// Decodes one scan's entropy-coded data. A baseline block is transformed into samples at once;
/// a progressive scan adds its bits to the stored coefficients (libjpeg's jdhuff.c and jdphuff.c).
/// </summary>
internal static class JpegScanDecoder
{
    /// <summary>Zig-zag index → natural index, padded with 63 so a corrupt run cannot index past the block (as libjpeg).</summary>
    private static ReadOnlySpan<byte> Natural =>
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
        63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
    ];

    /// <summary>The natural order of the 64 coefficients, for reordering DQT tables.</summary>
    public static ReadOnlySpan<byte> ZigZagToNatural => Natural[..64];

    /// <summary>Decodes the scan whose data starts at <paramref name="position"/>; returns where its data ends.</summary>
    public static int Decode(ReadOnlySpan<byte> data, int position, JpegFrame frame, JpegScan scan, int restartInterval)
    {
        var reader = new JpegBitReader(data, position);
        JpegComponent[] components = scan.Components;
        int eobRun = 0;
        Span<short> block = stackalloc short[64];
        Span<int> work = stackalloc int[64];
        bool single = components.Length == 1;
        int mcusPerLine = single ? JpegFrame.DivideUp(components[0].Width, 8) : frame.McusPerLine;
        int mcus = mcusPerLine * (single ? JpegFrame.DivideUp(components[0].Height, 8) : frame.McusPerColumn);
        foreach (JpegComponent c in components)
        {
            c.DcPredictor = 0;
        }

        for (int m = 0; m < mcus; m++)
        {
            if (restartInterval > 0 && m > 0 && m % restartInterval == 0)
            {
                reader.Restart();
                eobRun = 0;
                foreach (JpegComponent c in components)
                {
                    c.DcPredictor = 0;
                }
            }

            int mcuX = m % mcusPerLine, mcuY = m / mcusPerLine;
            if (single)
            {
                DecodeBlock(ref reader, frame, scan, components[0], mcuX, mcuY, block, work, ref eobRun);
            }
            else
            {
                foreach (JpegComponent c in components)
                {
                    for (int v = 0; v < c.V; v++)
                    {
                        for (int h = 0; h < c.H; h++)
                        {
                            DecodeBlock(ref reader, frame, scan, c, (mcuX * c.H) + h, (mcuY * c.V) + v, block, work, ref eobRun);
                        }
                    }
                }
            }

            if (reader.PastEnd)
            {
                throw new ImageFormatException($"the JPEG image is truncated: its data ends at byte {data.Length}, inside a scan after {m} of its {mcus} MCUs");
            }
        }

        return reader.Position;
    }

    private static void DecodeBlock(ref JpegBitReader reader, JpegFrame frame, JpegScan scan, JpegComponent c, int bx, int by, scoped Span<short> block, scoped Span<int> work, ref int eobRun)
    {
        if (!frame.Progressive)
        {
            block.Clear();
            DecodeBaseline(ref reader, c, block);
            JpegIdct.Transform(block, c.Quant, work, c.Samples.AsSpan((by * 8 * c.Stride) + (bx * 8)), c.Stride);
            return;
        }

        Span<short> coefficients = c.Coefficients.AsSpan(((by * c.BlocksPerLine) + bx) * 64, 64);
        if (scan.Start == 0)
        {
            if (scan.High == 0)
            {
                int t = reader.Decode(c.DcTable!);
                c.DcPredictor += reader.Signed(t);
                coefficients[0] = (short)(c.DcPredictor << scan.Low);
            }
            else if (reader.Bit() != 0)
            {
                coefficients[0] |= (short)(1 << scan.Low);
            }
        }
        else if (scan.High == 0)
        {
            DecodeAcFirst(ref reader, c.AcTable!, scan, coefficients, ref eobRun);
        }
        else
        {
            DecodeAcRefine(ref reader, c.AcTable!, scan, coefficients, ref eobRun);
        }
    }

    private static void DecodeBaseline(ref JpegBitReader reader, JpegComponent c, scoped Span<short> block)
    {
        int t = reader.Decode(c.DcTable!);
        c.DcPredictor += reader.Signed(t);
        block[0] = (short)c.DcPredictor;
        HuffmanTable ac = c.AcTable!;
        ReadOnlySpan<byte> natural = Natural;
        for (int k = 1; k < 64; k++)
        {
            int rs = reader.Decode(ac);
            int r = rs >> 4, s = rs & 15;
            if (s != 0)
            {
                k += r;
                block[natural[k]] = (short)reader.Signed(s);
            }
            else if (r == 15)
            {
                k += 15; // ZRL: sixteen zeros
            }
            else
            {
                break; // EOB
            }
        }
    }

    private static void DecodeAcFirst(ref JpegBitReader reader, HuffmanTable ac, JpegScan scan, Span<short> coefficients, ref int eobRun)
    {
        if (eobRun > 0)
        {
            eobRun--;
            return;
        }

        ReadOnlySpan<byte> natural = Natural;
        for (int k = scan.Start; k <= scan.End; k++)
        {
            int rs = reader.Decode(ac);
            int r = rs >> 4, s = rs & 15;
            if (s != 0)
            {
                k += r;
                coefficients[natural[k]] = (short)(reader.Signed(s) * (1 << scan.Low));
            }
            else if (r == 15)
            {
                k += 15;
            }
            else
            {
                eobRun = (1 << r) - 1 + reader.Bits(r); // EOBr: this block and 2^r - 1 + n more end here
                break;
            }
        }
    }

    /// <summary>A refinement scan: one more bit of each non-zero coefficient, and new ±1 coefficients (jdphuff.c decode_mcu_AC_refine).</summary>
    private static void DecodeAcRefine(ref JpegBitReader reader, HuffmanTable ac, JpegScan scan, Span<short> coefficients, ref int eobRun)
    {
        int plus = 1 << scan.Low, minus = -1 << scan.Low;
        ReadOnlySpan<byte> natural = Natural;
        int k = scan.Start;
        if (eobRun == 0)
        {
            for (; k <= scan.End; k++)
            {
                int rs = reader.Decode(ac);
                int r = rs >> 4, s = rs & 15;
                if (s != 0)
                {
                    s = reader.Bit() != 0 ? plus : minus; // a new coefficient is always ±1 at this bit
                }
                else if (r != 15)
                {
                    eobRun = (1 << r) + reader.Bits(r);
                    break;
                }

                // Skip r zero-history coefficients, refining the non-zero ones passed on the way.
                for (; k <= scan.End; k++)
                {
                    ref short coefficient = ref coefficients[natural[k]];
                    if (coefficient != 0)
                    {
                        Refine(ref reader, ref coefficient, plus, minus);
                    }
                    else if (--r < 0)
                    {
                        break;
                    }
                }

                if (s != 0)
                {
                    coefficients[natural[k]] = (short)s;
                }
            }
        }

        if (eobRun > 0)
        {
            for (; k <= scan.End; k++)
            {
                ref short coefficient = ref coefficients[natural[k]];
                if (coefficient != 0)
                {
                    Refine(ref reader, ref coefficient, plus, minus);
                }
            }

            eobRun--;
        }
    }

    private static void Refine(ref JpegBitReader reader, ref short coefficient, int plus, int minus)
    {
        if (reader.Bit() != 0 && (coefficient & plus) == 0)
        {
            coefficient += (short)(coefficient >= 0 ? plus : minus);
        }
    }
}
