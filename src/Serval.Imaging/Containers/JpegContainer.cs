using Serval.Imaging.Exif;

namespace Serval.Imaging.Containers;

/// <summary>
/// Walks a JPEG file's markers before Skia decodes it: every segment from SOI to EOI, skipping each
/// scan's entropy-coded data (where a 0xFF byte is always followed by 0x00 or a restart marker). It
/// finds what libjpeg-turbo would refuse or misreport and says so with the segment and byte, and what
/// Serval refuses on purpose: more than 100 scans (a progressive file of thousands of tiny scans costs
/// seconds of CPU), lossless and hierarchical frames, samples other than 8-bit.
/// </summary>
/// <remarks>
/// A file without its end-of-image marker is refused: libjpeg-turbo fills what a cut progressive file
/// lacks with grey and reports success. The first EXIF APP1 segment gives the orientation.
/// </remarks>
internal static class JpegContainer
{
    private const int MaxScans = 100;

    /// <summary>libjpeg-turbo's JPEG_MAX_DIMENSION: a larger side is refused before Skia has a header to show.</summary>
    private const int MaxSide = 65500;

    /// <summary>Walks the markers of <paramref name="data"/> (it starts with SOI, FF D8 FF).</summary>
    /// <exception cref="ImageFormatException">A segment is cut or damaged, a table is missing, or the frame is a kind not supported.</exception>
    public static ContainerFacts Check(ReadOnlySpan<byte> data)
    {
        Span<bool> huffman = stackalloc bool[8]; // DC 0–3, AC 0–3
        Span<byte> ids = stackalloc byte[4];
        int components = 0, scans = 0, orientation = 0, position = 2;
        bool frame = false, progressive = false, arithmetic = false;
        while (true)
        {
            int marker = NextMarker(data, ref position);
            int markerAt = position - 2; // where its 0xFF is
            if (marker == 0xD9)
            {
                break; // EOI
            }

            if (marker is >= 0xD0 and <= 0xD8 or 0x01)
            {
                continue; // RSTn, a stray SOI, TEM: no segment follows
            }

            ReadOnlySpan<byte> segment = Segment(data, ref position, marker, markerAt);
            switch (marker)
            {
                case 0xC0 or 0xC1 or 0xC2 or 0xC9 or 0xCA:
                    if (frame)
                    {
                        throw new ImageFormatException($"the JPEG image is damaged: it has a second frame header (SOF) at byte {markerAt}");
                    }

                    components = Frame(segment, ids);
                    (frame, progressive, arithmetic) = (true, marker is 0xC2 or 0xCA, marker >= 0xC9);
                    break;
                case 0xC3 or 0xCB:
                    throw new ImageFormatException($"the JPEG image is lossless (SOF{marker - 0xC0}), which is not supported");
                case 0xC5 or 0xC6 or 0xC7 or 0xCD or 0xCE or 0xCF:
                    throw new ImageFormatException($"the JPEG image is hierarchical (SOF{marker - 0xC0}), which is not supported");
                case 0xC4:
                    Tables(segment, huffman);
                    break;
                case 0xDA:
                    if (!frame)
                    {
                        throw new ImageFormatException($"the JPEG image is damaged: a scan (SOS) at byte {markerAt} comes before the frame header (SOF)");
                    }

                    if (++scans > MaxScans)
                    {
                        throw new ImageFormatException($"the JPEG image has more than {MaxScans} scans, which is not supported");
                    }

                    Scan(segment, ids[..components], progressive, arithmetic ? null : huffman);
                    break; // NextMarker skips the entropy-coded data
                case 0xE1 when orientation == 0:
                    orientation = ExifOrientation.FromApp1(segment);
                    break;
                default:
                    break; // DQT, DRI, APPn, COM, DNL, DAC…: Skia's to read
            }
        }

        if (!frame || scans == 0)
        {
            throw new ImageFormatException(!frame
                ? "the JPEG image has no frame header (SOF): it holds no picture"
                : "the JPEG image has no image data (no scan)");
        }

        return new ContainerFacts(orientation);
    }

    /// <summary>Checks an SOF segment: 8-bit samples, a height, 1, 3 or 4 components; their identifiers go to <paramref name="ids"/>.</summary>
    private static int Frame(ReadOnlySpan<byte> segment, Span<byte> ids)
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

        if (width > MaxSide || height > MaxSide)
        {
            throw new ImageFormatException($"the JPEG image is {width}×{height} pixels; libjpeg-turbo decodes at most {MaxSide} a side");
        }

        if (count is not 1 and not 3 and not 4)
        {
            throw new ImageFormatException($"the JPEG image has {count} colour components, which is not supported (only 1, greyscale, 3, YCbCr/RGB, and 4, CMYK/YCCK)");
        }

        if (segment.Length < 6 + (3 * count))
        {
            throw new ImageFormatException($"the JPEG image is damaged: its frame header has {segment.Length} bytes, too few for {count} components");
        }

        for (int i = 0; i < count; i++)
        {
            ids[i] = segment[6 + (3 * i)];
        }

        return count;
    }

    /// <summary>Marks the Huffman tables a DHT segment defines: class and index byte, 16 counts, the values.</summary>
    private static void Tables(ReadOnlySpan<byte> segment, Span<bool> defined)
    {
        while (segment.Length >= 17)
        {
            int kind = segment[0] >> 4, index = segment[0] & 15, values = 0;
            for (int i = 1; i <= 16; i++)
            {
                values += segment[i];
            }

            if (kind > 1 || index > 3 || segment.Length < 17 + values)
            {
                throw new ImageFormatException($"the JPEG image is damaged: a Huffman table segment (DHT) defines table {kind}/{index} with {values} codes in {segment.Length} bytes");
            }

            defined[(kind * 4) + index] = true;
            segment = segment[(17 + values)..];
        }
    }

    /// <summary>Checks an SOS header: its components exist in the frame, and the Huffman tables they use are defined (<paramref name="huffman"/> is null for arithmetic coding).</summary>
    private static void Scan(ReadOnlySpan<byte> segment, ReadOnlySpan<byte> frameIds, bool progressive, ReadOnlySpan<bool> huffman)
    {
        int count = segment.Length > 0 ? segment[0] : 0;
        if (count is < 1 or > 4 || segment.Length != 4 + (2 * count))
        {
            throw new ImageFormatException($"the JPEG image is damaged: a scan header (SOS) of {segment.Length} bytes lists {count} components");
        }

        ReadOnlySpan<byte> tail = segment[(1 + (2 * count))..];
        int start = progressive ? tail[0] : 0, end = progressive ? tail[1] : 63, high = progressive ? tail[2] >> 4 : 0;
        for (int i = 0; i < count; i++)
        {
            int id = segment[1 + (2 * i)], dc = segment[2 + (2 * i)] >> 4, ac = segment[2 + (2 * i)] & 15;
            if (frameIds.IndexOf((byte)id) < 0)
            {
                throw new ImageFormatException($"the JPEG image is damaged: a scan refers to component {id}, which the frame does not have");
            }

            if (huffman.IsEmpty)
            {
                continue;
            }

            if (start == 0 && high == 0 && (dc > 3 || !huffman[dc]))
            {
                throw new ImageFormatException($"the JPEG image is damaged: a scan uses Huffman table DC{dc}, which is not defined");
            }

            if (end > 0 && (ac > 3 || !huffman[4 + ac]))
            {
                throw new ImageFormatException($"the JPEG image is damaged: a scan uses Huffman table AC{ac}, which is not defined");
            }
        }
    }

    /// <summary>Finds the next marker from <paramref name="position"/>, skipping fill bytes, stuffed 0xFF 0x00 in scans and (as libjpeg) stray bytes.</summary>
    private static int NextMarker(ReadOnlySpan<byte> data, ref int position)
    {
        while (true)
        {
            int next = data[position..].IndexOf((byte)0xFF);
            position = next < 0 ? data.Length : position + next;
            while (position < data.Length && data[position] == 0xFF)
            {
                position++;
            }

            if (position >= data.Length)
            {
                throw new ImageFormatException($"the JPEG image is truncated: it ends at byte {data.Length} without an end-of-image marker (EOI)");
            }

            int marker = data[position++];
            if (marker != 0)
            {
                return marker;
            }
        }
    }

    /// <summary>The segment after a marker: a 2-byte length (counting itself) and the data.</summary>
    private static ReadOnlySpan<byte> Segment(ReadOnlySpan<byte> data, ref int position, int marker, int markerAt)
    {
        int remaining = data.Length - position;
        int length = remaining >= 2 ? (data[position] << 8) | data[position + 1] : -1;
        if (length > remaining || length < 0)
        {
            string needs = length < 0 ? "a 2-byte length" : $"{length} bytes";
            throw new ImageFormatException($"the JPEG image is truncated: segment {MarkerName(marker)} at byte {markerAt} needs {needs}, {remaining} remain");
        }

        if (length < 2)
        {
            throw new ImageFormatException($"the JPEG image is damaged: segment {MarkerName(marker)} at byte {markerAt} has length {length}");
        }

        ReadOnlySpan<byte> segment = data.Slice(position + 2, length - 2);
        position += length;
        return segment;
    }

    private static string MarkerName(int marker) => marker switch
    {
        >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC => $"SOF{marker - 0xC0}",
        0xC4 => "DHT",
        0xCC => "DAC",
        0xDA => "SOS",
        0xDB => "DQT",
        0xDD => "DRI",
        0xFE => "COM",
        >= 0xE0 and <= 0xEF => $"APP{marker - 0xE0}",
        _ => $"FF{marker:X2}",
    };
}
