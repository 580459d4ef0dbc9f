using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Serval.Imaging.Tests.Png;

/// <summary>Builds PNG files chunk by chunk with correct CRCs, to make images ImageMagick will not write.</summary>
public sealed class PngFile
{
    private readonly MemoryStream _bytes = new();

    public PngFile()
    {
        _bytes.Write([137, 80, 78, 71, 13, 10, 26, 10]);
    }

    /// <summary>Appends an IHDR chunk.</summary>
    public PngFile Header(uint width, uint height, byte depth, byte colorType, byte interlace = 0)
    {
        var data = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(data, width);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(4), height);
        (data[8], data[9], data[12]) = (depth, colorType, interlace);
        return Chunk("IHDR", data);
    }

    /// <summary>Appends a chunk of the given type and data.</summary>
    public PngFile Chunk(string type, ReadOnlySpan<byte> data)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)data.Length);
        Encoding.ASCII.GetBytes(type, header[4..]);
        _bytes.Write(header);
        _bytes.Write(data);
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc(header[4..], data));
        _bytes.Write(crc);
        return this;
    }

    /// <summary>Appends IDAT chunks holding <paramref name="raw"/> (filter bytes included) compressed, split every <paramref name="split"/> bytes.</summary>
    public PngFile Data(ReadOnlySpan<byte> raw, int split = int.MaxValue)
    {
        byte[] compressed = Compress(raw);
        for (int i = 0; i < compressed.Length; i += split)
        {
            Chunk("IDAT", compressed.AsSpan(i, Math.Min(split, compressed.Length - i)));
        }

        return this;
    }

    /// <summary>Appends IEND and returns the file.</summary>
    public byte[] End() => Chunk("IEND", []).ToArray();

    /// <summary>The bytes so far.</summary>
    public byte[] ToArray() => _bytes.ToArray();

    /// <summary>zlib-compresses <paramref name="raw"/>.</summary>
    public static byte[] Compress(ReadOnlySpan<byte> raw)
    {
        var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal))
        {
            zlib.Write(raw);
        }

        return output.ToArray();
    }

    /// <summary>The chunks of a PNG file: type, data offset, data length.</summary>
    public static List<(string Type, int Offset, int Length)> Chunks(byte[] png)
    {
        var chunks = new List<(string, int, int)>();
        for (int p = 8; p + 12 <= png.Length;)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(p));
            if (length > png.Length - p - 12)
            {
                break; // a damaged length: the rest is not chunks
            }

            chunks.Add((Encoding.ASCII.GetString(png, p + 4, 4), p + 8, (int)length));
            p += (int)length + 12;
        }

        return chunks;
    }

    /// <summary>The CRC of a chunk's type and data.</summary>
    public static uint Crc(ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in type)
        {
            crc = Step(crc, b);
        }

        foreach (byte b in data)
        {
            crc = Step(crc, b);
        }

        return ~crc;
    }

    private static uint Step(uint crc, byte b)
    {
        crc ^= b;
        for (int k = 0; k < 8; k++)
        {
            crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
        }

        return crc;
    }
}
