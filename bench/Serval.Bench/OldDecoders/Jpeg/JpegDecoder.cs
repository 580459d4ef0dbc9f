using Serval.Imaging;
using Serval.Imaging.Exif;

namespace Serval.Bench.OldDecoders.Jpeg;

/// <summary>
/// Decodes JPEG (ITU T.81) with Huffman coding: baseline and extended sequential (SOF0, SOF1) and
/// progressive (SOF2), 8-bit samples, greyscale or three components (YCbCr, or RGB when an Adobe
/// APP14 segment says transform 0), any whole-ratio sampling factors, restart intervals.
/// The integer IDCT, chroma upsampling and colour conversion are libjpeg-turbo's defaults, so the
/// pixels match it. The EXIF orientation is applied. APPn and COM segments are otherwise skipped.
/// </summary>
internal static class JpegDecoder
{
    /// <summary>
    /// A bound on the work a small file can cause: each progressive scan may revisit every block of a
    /// large image. libjpeg's progressive script has 10 scans, mozjpeg's optimised ones about 20;
    /// TurboJPEG's optional limit is 500. 100 leaves room and keeps a 6000×6000 claim to seconds.
    /// </summary>
    private const int MaxScans = 100;

    public static RgbImage Decode(ReadOnlySpan<byte> data, ImageLimits limits)
    {
        var quantTables = new int[]?[4];
        var huffmanTables = new HuffmanTable?[8]; // DC 0–3, AC 0–3
        JpegFrame? frame = null;
        int restartInterval = 0, scans = 0, orientation = 0, adobeTransform = -1;
        bool jfif = false;
        int position = 2;
        while (true)
        {
            int marker = NextMarker(data, ref position);
            int markerAt = position - 2; // where its 0xFF is
            if (marker == 0xD9)
            {
                break; // EOI
            }

            if (marker is >= 0xD0 and <= 0xD8 or 0x01)
            {
                continue; // a stray RSTn, SOI or TEM: no segment follows
            }

            ReadOnlySpan<byte> segment = Segment(data, ref position, marker, markerAt);
            switch (marker)
            {
                case 0xC0 or 0xC1 or 0xC2:
                    if (frame != null)
                    {
                        throw new ImageFormatException($"the JPEG image is damaged: it has a second frame header (SOF) at byte {markerAt}");
                    }

                    frame = JpegFrame.Parse(segment, marker, limits);
                    frame.Allocate();
                    break;
                case 0xC3:
                    throw new ImageFormatException("the JPEG image is lossless (SOF3), which is not supported");
                case 0xC5 or 0xC6 or 0xC7:
                    throw new ImageFormatException($"the JPEG image is hierarchical (SOF{marker - 0xC0}), which is not supported");
                case >= 0xC9 and <= 0xCF: // SOF9–11, SOF13–15 and DAC (0xCC)
                    throw new ImageFormatException("the JPEG image uses arithmetic coding, which is not supported (only Huffman coding)");
                case 0xC4:
                    JpegTables.ReadHuffman(segment, huffmanTables);
                    break;
                case 0xDB:
                    JpegTables.ReadQuant(segment, quantTables);
                    break;
                case 0xDD:
                    restartInterval = segment.Length >= 2 ? (segment[0] << 8) | segment[1]
                        : throw new ImageFormatException($"the JPEG image is damaged: its restart interval segment (DRI) at byte {markerAt} has {segment.Length} bytes, not 2");
                    break;
                case 0xDA:
                    if (frame == null)
                    {
                        throw new ImageFormatException($"the JPEG image is damaged: a scan (SOS) at byte {markerAt} comes before the frame header (SOF)");
                    }

                    if (++scans > MaxScans)
                    {
                        throw new ImageFormatException($"the JPEG image has more than {MaxScans} scans, which is not supported");
                    }

                    JpegScan scan = JpegScan.Parse(segment, frame, huffmanTables, quantTables);
                    position = JpegScanDecoder.Decode(data, position, frame, scan, restartInterval);
                    break;
                case 0xE0:
                    jfif |= segment.StartsWith("JFIF\0"u8);
                    break;
                case 0xE1 when orientation == 0:
                    orientation = ExifOrientation.FromApp1(segment);
                    break;
                case 0xEE when segment.Length >= 12 && segment.StartsWith("Adobe"u8):
                    adobeTransform = segment[11];
                    break;
                default:
                    break; // other APPn, COM, DNL, DHP, EXP
            }
        }

        if (frame == null || scans == 0)
        {
            throw new ImageFormatException(frame == null
                ? "the JPEG image has no frame header (SOF): it holds no picture"
                : "the JPEG image has no image data (no scan)");
        }

        foreach (JpegComponent c in frame.Components)
        {
            if (c.Quant == null)
            {
                c.Samples.AsSpan().Fill(128); // no scan coded this component: all its coefficients are zero
            }
            else if (frame.Progressive)
            {
                TransformCoefficients(c);
            }
        }

        RgbImage image = JpegColor.ToRgb(frame, ColorSpace(frame, jfif, adobeTransform));
        return ExifOrientation.Apply(image, orientation);
    }

    /// <summary>
    /// libjpeg's rule (jdapimin.c): one component is grey; three are YCbCr when there is a JFIF
    /// header, else as an Adobe segment's transform says (0 = RGB), else RGB only if the component
    /// identifiers are 'R', 'G', 'B'.
    /// </summary>
    private static JpegColorSpace ColorSpace(JpegFrame frame, bool jfif, int adobeTransform)
    {
        if (frame.Components.Length == 1)
        {
            return JpegColorSpace.Grey;
        }

        if (jfif)
        {
            return JpegColorSpace.YCbCr;
        }

        if (adobeTransform >= 0)
        {
            return adobeTransform == 0 ? JpegColorSpace.Rgb : JpegColorSpace.YCbCr;
        }

        JpegComponent[] c = frame.Components;
        return c[0].Id == 'R' && c[1].Id == 'G' && c[2].Id == 'B' ? JpegColorSpace.Rgb : JpegColorSpace.YCbCr;
    }

    /// <summary>After the last scan of a progressive image: the component's coefficients to samples, block by block.</summary>
    private static void TransformCoefficients(JpegComponent c)
    {
        Span<int> work = stackalloc int[64];
        short[] coefficients = c.Coefficients!;
        for (int by = 0; by < c.BlocksPerColumn; by++)
        {
            for (int bx = 0; bx < c.BlocksPerLine; bx++)
            {
                JpegIdct.Transform(coefficients.AsSpan(((by * c.BlocksPerLine) + bx) * 64, 64), c.Quant, work, c.Samples.AsSpan((by * 8 * c.Stride) + (bx * 8)), c.Stride);
            }
        }

        c.Coefficients = null;
    }

    /// <summary>Finds the next marker from <paramref name="position"/>, skipping fill bytes (and, as libjpeg, stray bytes).</summary>
    private static int NextMarker(ReadOnlySpan<byte> data, ref int position)
    {
        while (true)
        {
            int next = data[position..].IndexOf((byte)0xFF);
            position = next < 0 ? data.Length : position + next;
            while (position < data.Length && data[position] == 0xFF)
            {
                position++;
            }

            if (position >= data.Length)
            {
                throw new ImageFormatException($"the JPEG image is truncated: it ends at byte {data.Length} without an end-of-image marker (EOI)");
            }

            int marker = data[position++];
            if (marker != 0)
            {
                return marker;
            }
        }
    }

    /// <summary>The segment after a marker: a 2-byte length (counting itself) and the data.</summary>
    private static ReadOnlySpan<byte> Segment(ReadOnlySpan<byte> data, ref int position, int marker, int markerAt)
    {
        int remaining = data.Length - position;
        int length = remaining >= 2 ? (data[position] << 8) | data[position + 1] : -1;
        if (length > remaining || length < 0)
        {
            string needs = length < 0 ? "a 2-byte length" : $"{length} bytes";
            throw new ImageFormatException($"the JPEG image is truncated: segment {MarkerName(marker)} at byte {markerAt} needs {needs}, {remaining} remain");
        }

        if (length < 2)
        {
            throw new ImageFormatException($"the JPEG image is damaged: segment {MarkerName(marker)} at byte {markerAt} has length {length}");
        }

        ReadOnlySpan<byte> segment = data.Slice(position + 2, length - 2);
        position += length;
        return segment;
    }

    private static string MarkerName(int marker) => marker switch
    {
        >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC => $"SOF{marker - 0xC0}",
        0xC4 => "DHT",
        0xDA => "SOS",
        0xDB => "DQT",
        0xDD => "DRI",
        0xFE => "COM",
        >= 0xE0 and <= 0xEF => $"APP{marker - 0xE0}",
        _ => $"FF{marker:X2}",
    };
}
