using System.Buffers.Binary;
using Serval.Imaging.Exif;

namespace Serval.Imaging.Containers;

/// <summary>
/// Checks a WebP file's RIFF container before Skia (libwebp) decodes it: the size in the RIFF header
/// against the bytes there, and the chunks (fourCC, 4-byte little-endian size, data padded to an even
/// length) for an EXIF chunk's orientation.
/// </summary>
internal static class WebPContainer
{
    /// <summary>Walks the chunks of <paramref name="data"/> (it starts with "RIFF", a size, "WEBP").</summary>
    /// <exception cref="ImageFormatException">The file is shorter than its RIFF header says, or a chunk runs past it.</exception>
    public static ContainerFacts Check(ReadOnlySpan<byte> data)
    {
        long total = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]) + 8L;
        if (total > data.Length)
        {
            throw new ImageFormatException($"the WebP image is truncated: its RIFF header gives {total} bytes, {data.Length} are there");
        }

        data = data[..(int)total]; // bytes after the RIFF container are not the image's
        int orientation = 0;
        for (long p = 12; p < data.Length;)
        {
            if (p + 8 > data.Length)
            {
                throw new ImageFormatException($"the WebP image is damaged: a chunk header at byte {p} needs 8 bytes, {data.Length - p} remain in the RIFF container");
            }

            uint size = BinaryPrimitives.ReadUInt32LittleEndian(data[((int)p + 4)..]);
            string fourCc = System.Text.Encoding.ASCII.GetString(data.Slice((int)p, 4));
            if (size > data.Length - p - 8)
            {
                throw new ImageFormatException($"the WebP image is damaged: chunk '{fourCc}' at byte {p} declares {size} bytes, {data.Length - p - 8} remain in the RIFF container");
            }

            if (fourCc == "EXIF" && orientation == 0)
            {
                ReadOnlySpan<byte> exif = data.Slice((int)p + 8, (int)size);
                // The EXIF chunk holds TIFF data; some writers keep the JPEG "Exif\0\0" prefix.
                orientation = exif.StartsWith("Exif\0\0"u8) ? ExifOrientation.FromApp1(exif) : ExifOrientation.FromTiff(exif);
            }

            p += 8 + size + (size & 1);
        }

        return new ContainerFacts(orientation);
    }
}
