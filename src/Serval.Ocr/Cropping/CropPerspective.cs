using System.Numerics;
using Serval.Imaging;
using Serval.Imaging.Exif;
using Serval.Ocr.Geometry;
using Serval.Ocr.Pixels;

namespace Serval.Ocr.Cropping;

/// <summary>
/// Cuts a detected box out of the picture as an upright line, as PaddleOCR's get_rotate_crop_image
/// does: the box's corners go to the corners of a rectangle as wide as its longer horizontal edge
/// and as high as its longer vertical edge (a perspective warp, edges replicated), and a result at
/// least 1.5 times as high as wide is turned a quarter counter-clockwise, taken for vertical text.
/// PaddleOCR samples bicubically; bilinear sampling here is close and cheaper.
/// </summary>
public static class CropPerspective
{
    /// <summary>Crops that are at least this many times as high as wide are turned (PaddleOCR's 1.5).</summary>
    public const float VerticalRatio = 1.5f;

    /// <summary>The upright crop of <paramref name="box"/>.</summary>
    public static RgbImage Crop(RgbImage image, Quad box)
    {
        int width = Math.Max(1, (int)MathF.Max(box.TopWidth, Vector2.Distance(box.BottomLeft, box.BottomRight)));
        int height = Math.Max(1, (int)MathF.Max(box.LeftHeight, Vector2.Distance(box.TopRight, box.BottomRight)));
        var map = Homography.SquareTo(box);
        byte[] pixels = new byte[checked(width * height * 3)];
        for (int y = 0; y < height; y++)
        {
            double v = (double)y / height;
            for (int x = 0; x < width; x++)
            {
                // Destination pixel x of width w sits at x / w of the box (OpenCV maps corner to corner).
                var p = map.Map((double)x / width, v);
                Bilinear.Sample(image, p.X, p.Y, pixels.AsSpan((y * width + x) * 3, 3));
            }
        }

        var crop = new RgbImage(width, height, pixels);
        return height >= VerticalRatio * width ? RotateCounterClockwise(crop) : crop;
    }

    /// <summary><paramref name="image"/> turned 90° counter-clockwise (NumPy's rot90): the last column becomes the first row (EXIF orientation 8).</summary>
    public static RgbImage RotateCounterClockwise(RgbImage image) => ExifOrientation.Apply(image, 8);

    /// <summary><paramref name="image"/> turned half a turn (EXIF orientation 3).</summary>
    public static RgbImage Rotate180(RgbImage image) => ExifOrientation.Apply(image, 3);
}
