using System.Buffers.Binary;

namespace Serval.Imaging.Exif;

/// <summary>
/// The EXIF orientation tag (0x0112): how a camera or phone held sideways stored the picture, and
/// the turn or flip that shows it upright. Damaged EXIF data is ignored (orientation 1), as viewers do.
/// </summary>
public static class ExifOrientation
{
    /// <summary>The orientation in a JPEG APP1 segment ("Exif\0\0" then TIFF data), or 0 if the segment is not EXIF.</summary>
    public static int FromApp1(ReadOnlySpan<byte> segment) =>
        segment.StartsWith("Exif\0\0"u8) ? FromTiff(segment[6..]) : 0;

    /// <summary>
    /// The orientation (1–8) in TIFF-structured EXIF data: byte order "II" or "MM", 42, the offset of
    /// IFD0, whose 12-byte entries are searched for tag 0x0112 (type SHORT). 1 when absent or damaged.
    /// </summary>
    public static int FromTiff(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8)
        {
            return 1;
        }

        bool little = tiff[0] == 'I' && tiff[1] == 'I';
        if (!little && !(tiff[0] == 'M' && tiff[1] == 'M'))
        {
            return 1;
        }

        uint ifd = Read32(tiff[4..], little);
        if (Read16(tiff[2..], little) != 42 || ifd > tiff.Length - 2)
        {
            return 1;
        }

        int entries = Read16(tiff[(int)ifd..], little);
        for (int i = 0; i < entries; i++)
        {
            long entry = ifd + 2 + (12L * i);
            if (entry + 12 > tiff.Length)
            {
                break;
            }

            ReadOnlySpan<byte> e = tiff.Slice((int)entry, 12);
            if (Read16(e, little) == 0x0112 && Read16(e[2..], little) == 3)
            {
                int value = Read16(e[8..], little);
                return value is >= 1 and <= 8 ? value : 1;
            }
        }

        return 1;
    }

    /// <summary>
    /// Turns or flips <paramref name="image"/> so that it shows upright: 3 = rotate 180°, 6 = rotate 90°
    /// clockwise, 8 = 90° counter-clockwise, 2 / 4 = mirror left-right / top-bottom, 5 / 7 = transpose /
    /// transverse. Orientation 1 (or 0, unknown) returns the image as it is.
    /// </summary>
    public static RgbImage Apply(RgbImage image, int orientation)
    {
        if (orientation is < 2 or > 8)
        {
            return image;
        }

        int w = image.Width, h = image.Height;
        bool swap = orientation >= 5;
        var result = swap ? new RgbImage(h, w) : new RgbImage(w, h);
        byte[] source = image.Pixels, target = result.Pixels;
        int outWidth = result.Width;
        // Along an output row the source moves by one pixel left or right (2, 3, 4) or one row up or down (5–8).
        int step = orientation switch
        {
            2 or 3 => -3,
            4 => 3,
            5 or 8 => w * 3,
            _ => -w * 3,
        };
        for (int y = 0; y < result.Height; y++)
        {
            // (sx, sy): the source pixel that shows at (0, y).
            (int sx, int sy) = orientation switch
            {
                2 => (w - 1, y),
                3 => (w - 1, h - 1 - y),
                4 => (0, h - 1 - y),
                5 => (y, 0),
                6 => (y, h - 1),
                7 => (w - 1 - y, h - 1),
                _ => (w - 1 - y, 0),
            };
            int s = ((sy * w) + sx) * 3, t = y * outWidth * 3;
            for (int x = 0; x < outWidth; x++, s += step, t += 3)
            {
                target[t] = source[s];
                target[t + 1] = source[s + 1];
                target[t + 2] = source[s + 2];
            }
        }

        return result;
    }

    private static int Read16(ReadOnlySpan<byte> b, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(b) : BinaryPrimitives.ReadUInt16BigEndian(b);

    private static uint Read32(ReadOnlySpan<byte> b, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(b) : BinaryPrimitives.ReadUInt32BigEndian(b);
}
