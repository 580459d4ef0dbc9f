using Serval.Imaging;

namespace Serval.Bench.OldDecoders.Jpeg;

/// <summary>One colour component of a JPEG frame (Y, Cb, Cr or grey) and its decoded samples.</summary>
internal sealed class JpegComponent(int id, int h, int v, int quantTable)
{
    /// <summary>The component identifier the scans refer to.</summary>
    public int Id { get; } = id;

    /// <summary>Horizontal sampling factor, 1–4: Y of 4:2:0 has 2, Cb and Cr have 1.</summary>
    public int H { get; } = h;

    /// <summary>Vertical sampling factor, 1–4.</summary>
    public int V { get; } = v;

    /// <summary>Which DQT table (0–3) dequantizes this component.</summary>
    public int QuantTable { get; } = quantTable;

    /// <summary>The dequantization factors in natural order, fixed at the component's first scan (as libjpeg).</summary>
    public int[]? Quant { get; set; }

    /// <summary>Width in samples: ceil(image width × H / Hmax); 37 wide at 4:2:0 gives 19 for Cb.</summary>
    public int Width { get; set; }

    /// <summary>Height in samples: ceil(image height × V / Vmax).</summary>
    public int Height { get; set; }

    /// <summary>Blocks per row, padded to whole MCUs: the sample plane is 8 × this wide.</summary>
    public int BlocksPerLine { get; set; }

    /// <summary>Block rows, padded to whole MCUs.</summary>
    public int BlocksPerColumn { get; set; }

    /// <summary>The decoded samples, <see cref="BlocksPerLine"/> × 8 per row.</summary>
    public byte[] Samples { get; set; } = [];

    /// <summary>Progressive images only: the coefficients of every block, 64 each, until the last scan.</summary>
    public short[]? Coefficients { get; set; }

    /// <summary>The DC Huffman table of the current scan.</summary>
    public HuffmanTable? DcTable { get; set; }

    /// <summary>The AC Huffman table of the current scan.</summary>
    public HuffmanTable? AcTable { get; set; }

    /// <summary>The previous block's DC value: each DC is coded as the difference from it.</summary>
    public int DcPredictor { get; set; }

    /// <summary>Bytes per row of <see cref="Samples"/>.</summary>
    public int Stride => BlocksPerLine * 8;
}
