using System.Buffers.Binary;
using Serval.Imaging;

namespace Serval.Bench.OldDecoders.Png;

/// <summary>
/// Walks the chunks of a PNG file after its signature. Each chunk is 4 bytes length, 4 bytes type,
/// the data and a 4-byte CRC; a chunk that runs past the end of the data is reported as truncation.
/// </summary>
/// <remarks>
/// CRCs are checked for the critical chunks (IHDR, PLTE, IDAT, IEND), whose damage changes the
/// picture, and not for ancillary ones, which are skipped anyway: libpng does the same by default.
/// </remarks>
internal ref struct PngChunkReader(ReadOnlySpan<byte> file)
{
    private readonly ReadOnlySpan<byte> _file = file;
    private int _position = 8;

    /// <summary>Reads the next chunk; false at the end of the data.</summary>
    public bool TryRead(out PngChunk chunk)
    {
        chunk = default;
        int remaining = _file.Length - _position;
        if (remaining == 0)
        {
            return false;
        }

        if (remaining < 8)
        {
            throw new ImageFormatException($"the PNG image is truncated: a chunk header at byte {_position} needs 8 bytes, {remaining} remain");
        }

        uint length = BinaryPrimitives.ReadUInt32BigEndian(_file[_position..]);
        uint type = BinaryPrimitives.ReadUInt32BigEndian(_file[(_position + 4)..]);
        if (!PngChunk.IsValidType(type))
        {
            throw new ImageFormatException($"the PNG image is damaged: the chunk at byte {_position} has type {PngChunk.TypeName(type)}, which is not four letters");
        }

        string name = PngChunk.TypeName(type);
        if (length > int.MaxValue)
        {
            throw new ImageFormatException($"the PNG image is damaged: chunk {name} at byte {_position} declares {length} bytes, more than PNG allows (2^31 - 1)");
        }

        long needed = (long)length + 12;
        if (needed > remaining)
        {
            throw new ImageFormatException($"the PNG image is truncated: chunk {name} at byte {_position} needs {needed} bytes, {remaining} remain");
        }

        ReadOnlySpan<byte> data = _file.Slice(_position + 8, (int)length);
        chunk = new PngChunk(type, data, _position);
        if (chunk.IsCritical)
        {
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(_file[(_position + 8 + (int)length)..]);
            uint computed = Crc32.Compute(_file.Slice(_position + 4, 4), data);
            if (stored != computed)
            {
                throw new ImageFormatException($"the PNG image is damaged: chunk {name} at byte {_position} has CRC {stored:X8}, but its bytes give {computed:X8}");
            }
        }

        _position += (int)needed;
        return true;
    }
}
