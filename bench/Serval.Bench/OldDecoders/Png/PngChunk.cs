using System.Buffers.Binary;
using Serval.Imaging;

namespace Serval.Bench.OldDecoders.Png;

/// <summary>One chunk of a PNG file: its type, its data and where it starts (for messages).</summary>
internal readonly ref struct PngChunk(uint type, ReadOnlySpan<byte> data, int offset)
{
    public const uint IHDR = 0x49484452;
    public const uint PLTE = 0x504C5445;
    public const uint IDAT = 0x49444154;
    public const uint IEND = 0x49454E44;
    public const uint tRNS = 0x74524E53;
    public const uint eXIf = 0x65584966;

    /// <summary>The four type letters as a big-endian number ("IHDR" = 0x49484452).</summary>
    public uint Type { get; } = type;

    /// <summary>The chunk's data, without length, type and CRC.</summary>
    public ReadOnlySpan<byte> Data { get; } = data;

    /// <summary>The byte offset of the chunk's length field in the file.</summary>
    public int Offset { get; } = offset;

    /// <summary>The type as text, "IHDR".</summary>
    public string Name => TypeName(Type);

    /// <summary>Critical chunks (first letter upper case) must be understood to decode the image.</summary>
    public bool IsCritical => (Type & 0x20000000) == 0;

    /// <summary>The type as text, with bytes that are not letters shown in hex.</summary>
    public static string TypeName(uint type)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, type);
        foreach (byte b in bytes)
        {
            if (!IsLetter(b))
            {
                return $"0x{type:X8}";
            }
        }

        return System.Text.Encoding.ASCII.GetString(bytes);
    }

    /// <summary>Whether every byte of the type is an ASCII letter, as PNG requires.</summary>
    public static bool IsValidType(uint type) =>
        IsLetter((byte)(type >> 24)) && IsLetter((byte)(type >> 16)) && IsLetter((byte)(type >> 8)) && IsLetter((byte)type);

    private static bool IsLetter(byte b) => (b | 0x20) is >= (byte)'a' and <= (byte)'z';
}
