using Serval.Imaging;

namespace Serval.Bench.OldDecoders.Jpeg;

/// <summary>The table segments: quantization (DQT) and Huffman (DHT), validated as libjpeg does.</summary>
internal static class JpegTables
{
    /// <summary>Reads a DQT segment's tables (8- or 16-bit, zig-zag order) into <paramref name="tables"/>, in natural order.</summary>
    public static void ReadQuant(ReadOnlySpan<byte> segment, int[]?[] tables)
    {
        while (!segment.IsEmpty)
        {
            int precision = segment[0] >> 4, id = segment[0] & 15;
            int size = precision == 0 ? 64 : 128;
            if (id > 3 || precision > 1 || segment.Length < 1 + size)
            {
                throw new ImageFormatException($"the JPEG image is damaged: a quantization table (DQT) has id {id}, precision {precision} and {segment.Length - 1} bytes");
            }

            var table = new int[64];
            ReadOnlySpan<byte> natural = JpegScanDecoder.ZigZagToNatural;
            for (int i = 0; i < 64; i++)
            {
                table[natural[i]] = precision == 0 ? segment[1 + i] : (segment[1 + (2 * i)] << 8) | segment[2 + (2 * i)];
            }

            tables[id] = table;
            segment = segment[(1 + size)..];
        }
    }

    /// <summary>Reads a DHT segment's tables into <paramref name="tables"/>: DC 0–3, then AC 0–3.</summary>
    public static void ReadHuffman(ReadOnlySpan<byte> segment, HuffmanTable?[] tables)
    {
        while (!segment.IsEmpty)
        {
            int kind = segment[0] >> 4, id = segment[0] & 15;
            int count = 0;
            for (int i = 1; i <= 16 && i < segment.Length; i++)
            {
                count += segment[i];
            }

            string name = (kind == 0 ? "DC" : "AC") + id;
            if (kind > 1 || id > 3 || segment.Length < 17 + count || count > 256)
            {
                throw new ImageFormatException($"the JPEG image is damaged: a Huffman table (DHT) has class {kind}, id {id} and {count} codes in {segment.Length} bytes");
            }

            ReadOnlySpan<byte> symbols = segment.Slice(17, count);
            if (kind == 0 && symbols.IndexOfAnyInRange((byte)16, (byte)255) >= 0)
            {
                throw new ImageFormatException($"the JPEG image is damaged: Huffman table {name} has a DC symbol above 15");
            }

            tables[(kind * 4) + id] = new HuffmanTable(segment.Slice(1, 16), symbols, name);
            segment = segment[(17 + count)..];
        }
    }
}
