using Serval.Imaging;

namespace Serval.Bench.OldDecoders.Jpeg;

/// <summary>The frame header (SOF0/1/2): size, components and their layout in MCUs.</summary>
internal sealed class JpegFrame
{
    private JpegFrame(int width, int height, bool progressive, JpegComponent[] components)
    {
        Width = width;
        Height = height;
        Progressive = progressive;
        Components = components;
        foreach (JpegComponent c in components)
        {
            MaxH = Math.Max(MaxH, c.H);
            MaxV = Math.Max(MaxV, c.V);
        }

        McusPerLine = DivideUp(width, 8 * MaxH);
        McusPerColumn = DivideUp(height, 8 * MaxV);
    }

    public int Width { get; }

    public int Height { get; }

    public bool Progressive { get; }

    public JpegComponent[] Components { get; }

    public int MaxH { get; }

    public int MaxV { get; }

    /// <summary>MCUs per row of an interleaved scan: 70 pixels at 4:2:0 (16-pixel MCUs) → 5.</summary>
    public int McusPerLine { get; }

    public int McusPerColumn { get; }

    /// <summary>Parses and validates an SOF segment; <paramref name="marker"/> is 0xC0, 0xC1 or 0xC2.</summary>
    public static JpegFrame Parse(ReadOnlySpan<byte> segment, int marker, ImageLimits limits)
    {
        if (segment.Length < 6)
        {
            throw new ImageFormatException($"the JPEG image is damaged: its frame header (SOF) has {segment.Length} bytes, fewer than 6");
        }

        if (segment[0] != 8)
        {
            throw new ImageFormatException($"the JPEG image has {segment[0]}-bit samples, which is not supported (only 8-bit)");
        }

        int height = (segment[1] << 8) | segment[2];
        int width = (segment[3] << 8) | segment[4];
        int count = segment[5];
        if (height == 0)
        {
            throw new ImageFormatException("the JPEG image gives its height later in a DNL marker, which is not supported");
        }

        if (width == 0)
        {
            throw new ImageFormatException("the JPEG image is damaged: its frame header says it is 0 pixels wide");
        }

        if (count is not 1 and not 3)
        {
            throw new ImageFormatException(count == 4
                ? "the JPEG image has 4 colour components (CMYK or YCCK), which is not supported (only greyscale and YCbCr/RGB)"
                : $"the JPEG image has {count} colour components, which is not supported (only 1, greyscale, and 3, YCbCr/RGB)");
        }

        if (segment.Length < 6 + (3 * count))
        {
            throw new ImageFormatException($"the JPEG image is damaged: its frame header has {segment.Length} bytes, too few for {count} components");
        }

        var components = new JpegComponent[count];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> c = segment.Slice(6 + (3 * i), 3);
            int h = c[1] >> 4, v = c[1] & 15;
            if (h is < 1 or > 4 || v is < 1 or > 4 || c[2] > 3)
            {
                throw new ImageFormatException($"the JPEG image is damaged: component {c[0]} has sampling factors {h}×{v} and quantization table {c[2]} (allowed: 1–4 and 0–3)");
            }

            for (int j = 0; j < i; j++)
            {
                if (components[j].Id == c[0])
                {
                    throw new ImageFormatException($"the JPEG image is damaged: two components have the identifier {c[0]}");
                }
            }

            components[i] = new JpegComponent(c[0], h, v, c[2]);
        }

        OldLimits.ThrowIfOver("JPEG", width, height, limits);
        var frame = new JpegFrame(width, height, marker == 0xC2, components);
        foreach (JpegComponent c in components)
        {
            if (frame.MaxH % c.H != 0 || frame.MaxV % c.V != 0)
            {
                throw new ImageFormatException($"the JPEG image has sampling factors {c.H}×{c.V} beside {frame.MaxH}×{frame.MaxV}, not a whole ratio, which is not supported");
            }
        }

        return frame;
    }

    /// <summary>Sizes each component and allocates its samples (and, if progressive, its coefficients).</summary>
    public void Allocate()
    {
        foreach (JpegComponent c in Components)
        {
            c.Width = DivideUp(Width * c.H, MaxH);
            c.Height = DivideUp(Height * c.V, MaxV);
            c.BlocksPerLine = McusPerLine * c.H;
            c.BlocksPerColumn = McusPerColumn * c.V;
            c.Samples = new byte[c.BlocksPerLine * c.BlocksPerColumn * 64];
            if (Progressive)
            {
                c.Coefficients = new short[c.BlocksPerLine * c.BlocksPerColumn * 64];
            }
        }
    }

    public static int DivideUp(int a, int b) => (a + b - 1) / b;
}
