using System.Buffers;
using Serval.Imaging;
using Serval.Imaging.Exif;

namespace Serval.Bench.OldDecoders.Png;

/// <summary>
/// Decodes PNG (ISO/IEC 15948): every colour type and bit depth, Adam7 interlacing, all five
/// filters, image data split over any number of IDAT chunks. Ancillary chunks (gAMA, iCCP, text…)
/// are skipped: the samples are used as stored, without colour management. An eXIf chunk's
/// orientation is applied, as browsers do.
/// </summary>
internal static class PngDecoder
{
    /// <summary>The eight bytes every PNG file starts with.</summary>
    public static ReadOnlySpan<byte> Signature => [137, 80, 78, 71, 13, 10, 26, 10];

    public static RgbImage Decode(ReadOnlySpan<byte> data, ImageLimits limits)
    {
        var chunks = new PngChunkReader(data);
        if (!chunks.TryRead(out PngChunk first))
        {
            throw new ImageFormatException("the PNG image is truncated: it ends after its signature");
        }

        if (first.Type != PngChunk.IHDR)
        {
            throw new ImageFormatException($"the PNG image is damaged: its first chunk is {first.Name}, not IHDR");
        }

        PngHeader header = PngHeader.Parse(first.Data);
        OldLimits.ThrowIfOver("PNG", header.Width, header.Height, limits);

        ReadOnlySpan<byte> palette = default, transparency = default;
        bool hasPalette = false, hasTransparency = false;
        byte[]? compressed = null;
        int compressedLength = 0, orientation = 1;
        try
        {
            while (true)
            {
                if (!chunks.TryRead(out PngChunk chunk))
                {
                    throw new ImageFormatException($"the PNG image is truncated: it ends at byte {data.Length} without an IEND chunk");
                }

                if (chunk.Type == PngChunk.IEND)
                {
                    break;
                }

                switch (chunk.Type)
                {
                    case PngChunk.IDAT:
                        Append(ref compressed, ref compressedLength, chunk.Data);
                        break;
                    case PngChunk.PLTE when compressed == null:
                        if (chunk.Data.Length % 3 != 0 || chunk.Data.Length == 0 || chunk.Data.Length > 768)
                        {
                            throw new ImageFormatException($"the PNG image is damaged: its PLTE chunk has {chunk.Data.Length} bytes, not 3 for each of 1 to 256 colours");
                        }

                        palette = chunk.Data;
                        hasPalette = true;
                        break;
                    case PngChunk.tRNS when compressed == null:
                        transparency = chunk.Data;
                        hasTransparency = true;
                        break;
                    case PngChunk.eXIf:
                        orientation = ExifOrientation.FromTiff(chunk.Data);
                        break;
                    case PngChunk.IHDR:
                        throw new ImageFormatException($"the PNG image is damaged: it has a second IHDR chunk at byte {chunk.Offset}");
                    default:
                        if (chunk.IsCritical && chunk.Type != PngChunk.PLTE)
                        {
                            throw new ImageFormatException($"the PNG image has a critical chunk {chunk.Name} (at byte {chunk.Offset}) that this decoder does not know");
                        }

                        break; // ancillary chunks, and PLTE or tRNS after the image data, are ignored
                }
            }

            if (compressed == null)
            {
                throw new ImageFormatException("the PNG image has no image data (no IDAT chunk)");
            }

            // Deflate turns at most 1032 bytes out of one (258-byte matches at 2 bits each): data too
            // short to hold the rows is refused before the pixels are allocated.
            long needed = PngScanlines.ExpectedBytes(header);
            if (needed > ((long)compressedLength * 1032) + 1024)
            {
                throw new ImageFormatException($"the PNG image data is truncated: {compressedLength} compressed bytes cannot hold the {needed} bytes "
                    + $"of a {header.Width}×{header.Height} {header.Describe()} image");
            }

            var image = new RgbImage(header.Width, header.Height);
            var writer = new PngRowWriter(header, image.Pixels, palette, hasPalette, transparency, hasTransparency);
            PngScanlines.Decode(header, compressed, compressedLength, writer);
            return ExifOrientation.Apply(image, orientation);
        }
        finally
        {
            if (compressed != null)
            {
                ArrayPool<byte>.Shared.Return(compressed);
            }
        }
    }

    /// <summary>Appends an IDAT chunk's bytes to the pooled buffer, growing it by doubling.</summary>
    private static void Append(ref byte[]? buffer, ref int length, ReadOnlySpan<byte> bytes)
    {
        if (buffer == null || length + bytes.Length > buffer.Length)
        {
            byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(length + bytes.Length, Math.Min(Array.MaxLength, (buffer?.Length ?? 4096) * 2)));
            if (buffer != null)
            {
                buffer.AsSpan(0, length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(buffer);
            }

            buffer = bigger;
        }

        bytes.CopyTo(buffer.AsSpan(length));
        length += bytes.Length;
    }
}
