using Serval.Imaging;

namespace Serval.Bench.OldDecoders.Jpeg;

/// <summary>
/// A JPEG Huffman table (DHT): codes of up to 9 bits are found with one lookup, longer ones by
/// comparing against the largest code of each length, as libjpeg does.
/// </summary>
internal sealed class HuffmanTable
{
    /// <summary>Bits resolved by one lookup: 9 covers almost every code of a typical table.</summary>
    public const int LookupBits = 9;

    /// <summary>Indexed by the next 9 bits: (code length &lt;&lt; 8) | symbol, or 0 when the code is longer.</summary>
    public readonly ushort[] Lookup = new ushort[1 << LookupBits];

    /// <summary>The largest code of each length 1–16, -1 where there is none.</summary>
    public readonly int[] MaxCode = new int[17];

    /// <summary>Added to a code of a given length to give its index in <see cref="Symbols"/>.</summary>
    public readonly int[] SymbolOffset = new int[17];

    /// <summary>The symbols in code order.</summary>
    public readonly byte[] Symbols = new byte[256];

    /// <summary>Builds the table from a DHT segment's 16 counts (codes of each length) and its symbols.</summary>
    public HuffmanTable(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> symbols, string name)
    {
        symbols.CopyTo(Symbols);
        int code = 0, k = 0;
        for (int length = 1; length <= 16; length++)
        {
            int n = counts[length - 1];
            SymbolOffset[length] = k - code;
            for (int i = 0; i < n; i++, k++, code++)
            {
                if (code >= 1 << length)
                {
                    throw new ImageFormatException($"the JPEG image is damaged: Huffman table {name} has more codes of length {length} or less than fit in {length} bits");
                }

                if (length <= LookupBits)
                {
                    int shift = LookupBits - length;
                    Lookup.AsSpan(code << shift, 1 << shift).Fill((ushort)((length << 8) | symbols[k]));
                }
            }

            MaxCode[length] = n > 0 ? code - 1 : -1;
            code <<= 1;
        }
    }
}
