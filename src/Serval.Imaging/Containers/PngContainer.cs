using System.Buffers.Binary;
using Serval.Imaging.Exif;

namespace Serval.Imaging.Containers;

/// <summary>
/// Checks a PNG file's chunks before Skia decodes it, so that damage gets a message naming the chunk
/// and the byte (libpng reports most header damage to Skia as "incomplete input"). No pixel is
/// touched: the chunks are 4 bytes length, 4 bytes type, the data and a 4-byte CRC.
/// </summary>
/// <remarks>
/// CRCs are checked for the critical chunks (IHDR, PLTE, IDAT, IEND), whose damage changes the
/// picture, and not for ancillary ones, which libpng skips too. The last eXIf chunk gives the orientation.
/// </remarks>
internal static class PngContainer
{
    private const uint IHDR = 0x49484452, PLTE = 0x504C5445, IDAT = 0x49444154, IEND = 0x49454E44, TRNS = 0x74524E53, EXIF = 0x65584966;

    /// <summary>Walks the chunks of <paramref name="data"/> (it starts with the PNG signature).</summary>
    /// <exception cref="ImageFormatException">A chunk is cut, damaged, missing or unknown and critical.</exception>
    public static ContainerFacts Check(ReadOnlySpan<byte> data)
    {
        int position = 8;
        if (!TryRead(data, ref position, out uint type, out ReadOnlySpan<byte> chunk, out int at))
        {
            throw new ImageFormatException("the PNG image is truncated: it ends after its signature");
        }

        if (type != IHDR)
        {
            throw new ImageFormatException($"the PNG image is damaged: its first chunk is {Name(type)}, not IHDR");
        }

        PngHeader header = PngHeader.Parse(chunk);
        bool palette = false, imageData = false;
        long compressed = 0;
        int orientation = 0;
        while (true)
        {
            if (!TryRead(data, ref position, out type, out chunk, out at))
            {
                throw new ImageFormatException($"the PNG image is truncated: it ends at byte {data.Length} without an IEND chunk");
            }

            if (type == IEND)
            {
                break;
            }

            switch (type)
            {
                case IDAT:
                    if (header.ColorType == PngColorType.Palette && !palette)
                    {
                        throw new ImageFormatException("the PNG image is damaged: it is a palette image without a PLTE chunk before its image data");
                    }

                    imageData = true;
                    compressed += chunk.Length;
                    break;
                case PLTE:
                    if (chunk.Length % 3 != 0 || chunk.Length == 0 || chunk.Length > 768)
                    {
                        throw new ImageFormatException($"the PNG image is damaged: its PLTE chunk has {chunk.Length} bytes, not 3 for each of 1 to 256 colours");
                    }

                    palette = true;
                    break;
                case TRNS when !imageData:
                    CheckTransparency(header, chunk);
                    break;
                case EXIF:
                    orientation = ExifOrientation.FromTiff(chunk);
                    break;
                case IHDR:
                    throw new ImageFormatException($"the PNG image is damaged: it has a second IHDR chunk at byte {at}");
                default:
                    if ((type & 0x20000000) == 0)
                    {
                        throw new ImageFormatException($"the PNG image has a critical chunk {Name(type)} (at byte {at}) that this decoder does not know");
                    }

                    break; // ancillary chunks are Skia's to use or skip
            }
        }

        if (!imageData)
        {
            throw new ImageFormatException("the PNG image has no image data (no IDAT chunk)");
        }

        // Deflate turns at most 1032 bytes out of one (258-byte matches at 2 bits each): data too short
        // to hold the rows is refused before the pixels are allocated. 6000×6000 8-bit RGB needs
        // 6000 × (1 + 18000) = 108 006 000 bytes, at least 104 657 compressed.
        long needed = RawBytes(header);
        return new ContainerFacts(orientation, needed > (compressed * 1032) + 1024
            ? $"the PNG image data is truncated: {compressed} compressed bytes cannot hold the {needed} bytes of a {header.Width}×{header.Height} {header.Describe()} image"
            : null);
    }

    /// <summary>
    /// Why Skia could not decode a file whose chunks all passed <see cref="Check"/>: its compressed rows
    /// are inflated again (with .NET's zlib, only on this error path) to tell a corrupt stream, a short
    /// one and a bad filter byte apart. Null when none of those is found.
    /// </summary>
    public static string? Diagnose(ReadOnlySpan<byte> data)
    {
        int position = 8;
        using var compressed = new MemoryStream();
        PngHeader? header = null;
        try
        {
            while (TryRead(data, ref position, out uint type, out ReadOnlySpan<byte> chunk, out _) && type != IEND)
            {
                if (type == IHDR)
                {
                    header = PngHeader.Parse(chunk);
                }
                else if (type == IDAT)
                {
                    compressed.Write(chunk);
                }
            }
        }
        catch (ImageFormatException)
        {
            return null;
        }

        if (header is not { } h)
        {
            return null;
        }

        long needed = RawBytes(h);
        byte[] raw = new byte[(int)Math.Min(needed, Array.MaxLength)];
        int inflated = 0;
        compressed.Position = 0;
        try
        {
            using var zlib = new System.IO.Compression.ZLibStream(compressed, System.IO.Compression.CompressionMode.Decompress, leaveOpen: true);
            for (int read; inflated < raw.Length && (read = zlib.Read(raw, inflated, raw.Length - inflated)) > 0;)
            {
                inflated += read;
            }
        }
        catch (InvalidDataException e)
        {
            return $"the PNG image data is corrupt: its zlib stream cannot be inflated ({e.Message})";
        }

        if (inflated < needed && !h.Interlaced)
        {
            return $"the PNG image data ends early: its {compressed.Length} compressed bytes inflate to {inflated}, but a {h.Width}×{h.Height} {h.Describe()} image needs {needed}";
        }

        long rowBytes = 1 + h.RowBytes(h.Width);
        for (long row = 0; !h.Interlaced && row < h.Height; row++)
        {
            if (raw[row * rowBytes] > 4)
            {
                return $"the PNG image is damaged: row {row} has filter type {raw[row * rowBytes]}; PNG has 0 to 4";
            }
        }

        return null;
    }

    /// <summary>The unfiltered rows with their filter bytes, as if not interlaced: height × (1 + row bytes), 23 × (1 + 111) = 2576 for 37×23 8-bit RGB.</summary>
    private static long RawBytes(PngHeader header) => header.Height * (1 + header.RowBytes(header.Width));

    /// <summary>A tRNS chunk's length for the colour type: 2 (grey key), 6 (RGB key), at most 256 (palette alphas).</summary>
    private static void CheckTransparency(PngHeader header, ReadOnlySpan<byte> chunk)
    {
        int? expected = header.ColorType switch
        {
            PngColorType.Grey => 2,
            PngColorType.Rgb => 6,
            _ => null,
        };
        if (expected is { } length && chunk.Length != length)
        {
            throw new ImageFormatException($"the PNG image is damaged: its tRNS chunk has {chunk.Length} bytes; a {header.Describe()} image needs {length}");
        }
    }

    /// <summary>Reads the chunk at <paramref name="position"/>; false at the end of the data.</summary>
    private static bool TryRead(ReadOnlySpan<byte> file, ref int position, out uint type, out ReadOnlySpan<byte> data, out int at)
    {
        type = 0;
        data = default;
        at = position;
        int remaining = file.Length - position;
        if (remaining == 0)
        {
            return false;
        }

        if (remaining < 8)
        {
            throw new ImageFormatException($"the PNG image is truncated: a chunk header at byte {position} needs 8 bytes, {remaining} remain");
        }

        uint length = BinaryPrimitives.ReadUInt32BigEndian(file[position..]);
        type = BinaryPrimitives.ReadUInt32BigEndian(file[(position + 4)..]);
        if (!IsLetter((byte)(type >> 24)) || !IsLetter((byte)(type >> 16)) || !IsLetter((byte)(type >> 8)) || !IsLetter((byte)type))
        {
            throw new ImageFormatException($"the PNG image is damaged: the chunk at byte {position} has type {Name(type)}, which is not four letters");
        }

        if (length > int.MaxValue)
        {
            throw new ImageFormatException($"the PNG image is damaged: chunk {Name(type)} at byte {position} declares {length} bytes, more than PNG allows (2^31 - 1)");
        }

        long needed = (long)length + 12;
        if (needed > remaining)
        {
            throw new ImageFormatException($"the PNG image is truncated: chunk {Name(type)} at byte {position} needs {needed} bytes, {remaining} remain");
        }

        data = file.Slice(position + 8, (int)length);
        if ((type & 0x20000000) == 0)
        {
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(file[(position + 8 + (int)length)..]);
            uint computed = Crc32.Compute(file.Slice(position + 4, 4), data);
            if (stored != computed)
            {
                throw new ImageFormatException($"the PNG image is damaged: chunk {Name(type)} at byte {position} has CRC {stored:X8}, but its bytes give {computed:X8}");
            }
        }

        position += (int)needed;
        return true;
    }

    /// <summary>The type as text ("IHDR"), or in hex when a byte is not a letter.</summary>
    private static string Name(uint type)
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

    private static bool IsLetter(byte b) => (b | 0x20) is >= (byte)'a' and <= (byte)'z';
}
