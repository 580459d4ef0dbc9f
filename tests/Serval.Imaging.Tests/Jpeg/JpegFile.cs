namespace Serval.Imaging.Tests.Jpeg;

/// <summary>Finds the segments of a JPEG file, to cut or patch it at known places.</summary>
public static class JpegFile
{
    /// <summary>The segments from SOI to the first SOS: marker (0xC0 = SOF0…), offset of the 0xFF, total length with the marker.</summary>
    public static List<(int Marker, int Offset, int Length)> Segments(byte[] jpeg)
    {
        var segments = new List<(int, int, int)>();
        for (int p = 2; p + 4 <= jpeg.Length && jpeg[p] == 0xFF;)
        {
            int marker = jpeg[p + 1];
            int length = 2 + ((jpeg[p + 2] << 8) | jpeg[p + 3]);
            segments.Add((marker, p, length));
            if (marker == 0xDA)
            {
                break;
            }

            p += length;
        }

        return segments;
    }

    /// <summary>The first segment with the given marker.</summary>
    public static (int Marker, int Offset, int Length) First(byte[] jpeg, int marker) => Segments(jpeg).First(s => s.Marker == marker);

    /// <summary>A copy of <paramref name="jpeg"/> with <paramref name="segment"/> (marker and all) inserted after SOI.</summary>
    public static byte[] Insert(byte[] jpeg, byte[] segment) => [.. jpeg[..2], .. segment, .. jpeg[2..]];

    /// <summary>An APP1 EXIF segment holding only the orientation tag, in big- or little-endian TIFF.</summary>
    public static byte[] ExifSegment(int orientation, bool bigEndian = true)
    {
        byte[] tiff = bigEndian
            ? [(byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte)orientation, 0, 0, 0, 0, 0, 0]
            : [(byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte)orientation, 0, 0, 0, 0, 0, 0, 0];
        return App1(tiff);
    }

    /// <summary>An APP1 segment of "Exif\0\0" followed by <paramref name="tiff"/>.</summary>
    public static byte[] App1(byte[] tiff)
    {
        int length = 2 + 6 + tiff.Length;
        return [0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. "Exif\0\0"u8, .. tiff];
    }
}
