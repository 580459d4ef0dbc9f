using Serval.Imaging;

namespace Serval.Bench.OldDecoders.Jpeg;

/// <summary>A scan header (SOS): which components, which coefficients (Ss–Se) and which bits (Ah, Al) it codes.</summary>
internal sealed class JpegScan
{
    private JpegScan(JpegComponent[] components, int start, int end, int high, int low)
    {
        Components = components;
        Start = start;
        End = end;
        High = high;
        Low = low;
    }

    public JpegComponent[] Components { get; }

    /// <summary>First coefficient (zig-zag index) in the scan: 0 for DC.</summary>
    public int Start { get; }

    /// <summary>Last coefficient in the scan: 63 for a baseline scan.</summary>
    public int End { get; }

    /// <summary>Successive approximation: the bit position of the previous scan of these coefficients, 0 for a first scan.</summary>
    public int High { get; }

    /// <summary>Successive approximation: the bit position this scan codes.</summary>
    public int Low { get; }

    /// <summary>Parses an SOS segment and binds each component to its Huffman tables (index 0–3 DC, 4–7 AC).</summary>
    public static JpegScan Parse(ReadOnlySpan<byte> segment, JpegFrame frame, HuffmanTable?[] tables, int[]?[] quantTables)
    {
        int count = segment.Length > 0 ? segment[0] : 0;
        if (count is < 1 or > 4 || segment.Length != 4 + (2 * count))
        {
            throw new ImageFormatException($"the JPEG image is damaged: a scan header (SOS) of {segment.Length} bytes lists {count} components");
        }

        var components = new JpegComponent[count];
        ReadOnlySpan<byte> tail = segment[(1 + (2 * count))..];
        int start = tail[0], end = tail[1], high = tail[2] >> 4, low = tail[2] & 15;
        bool progressive = frame.Progressive;
        if (!progressive)
        {
            (start, end, high, low) = (0, 63, 0, 0); // libjpeg only warns when a sequential scan says otherwise
        }
        else if (start > end || end > 63 || (start == 0 && end != 0) || (start > 0 && count != 1) || low > 13 || (high != 0 && high != low + 1))
        {
            throw new ImageFormatException($"the JPEG image is damaged: a progressive scan codes coefficients {start}–{end} with bits Ah={high}, Al={low}");
        }

        int blocks = 0;
        for (int i = 0; i < count; i++)
        {
            int id = segment[1 + (2 * i)], dc = segment[2 + (2 * i)] >> 4, ac = segment[2 + (2 * i)] & 15;
            JpegComponent c = Array.Find(frame.Components, x => x.Id == id)
                ?? throw new ImageFormatException($"the JPEG image is damaged: a scan refers to component {id}, which the frame does not have");
            if (Array.IndexOf(components, c) >= 0)
            {
                throw new ImageFormatException($"the JPEG image is damaged: a scan lists component {id} twice");
            }

            blocks += c.H * c.V;
            c.DcTable = start == 0 && high == 0 ? Table(tables, dc, 0, "DC") : null;
            c.AcTable = end > 0 ? Table(tables, ac, 4, "AC") : null;
            c.Quant ??= quantTables[c.QuantTable]
                ?? throw new ImageFormatException($"the JPEG image is damaged: component {id} uses quantization table {c.QuantTable}, which is not defined");
            components[i] = c;
        }

        if (count > 1 && blocks > 10)
        {
            throw new ImageFormatException($"the JPEG image is damaged: an interleaved scan has {blocks} blocks per MCU, more than 10");
        }

        return new JpegScan(components, start, end, high, low);
    }

    private static HuffmanTable Table(HuffmanTable?[] tables, int index, int offset, string kind) =>
        (index < 4 ? tables[offset + index] : null)
        ?? throw new ImageFormatException($"the JPEG image is damaged: a scan uses Huffman table {kind}{index}, which is not defined");
}
