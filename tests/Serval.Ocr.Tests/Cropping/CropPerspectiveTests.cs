using System.Numerics;
using Serval.Imaging;
using Serval.Ocr.Cropping;
using Serval.Ocr.Geometry;
using Serval.Ocr.Tests.Geometry;

namespace Serval.Ocr.Tests.Cropping;

public class CropPerspectiveTests
{
    [Fact]
    public void Crop_AxisAlignedBox_IsExactlyThePixelsInside()
    {
        RgbImage image = Pattern(100, 60, (x, y) => ((byte)(x * 2), (byte)(y * 3), (byte)(x + y)));
        var box = new Quad(new Vector2(10, 20), new Vector2(60, 20), new Vector2(60, 40), new Vector2(10, 40));

        RgbImage crop = CropPerspective.Crop(image, box);

        Assert.Equal((50, 20), (crop.Width, crop.Height));
        for (int y = 0; y < 20; y++)
        {
            Assert.True(crop.Pixels.AsSpan(crop.Offset(0, y), 150).SequenceEqual(image.Pixels.AsSpan(image.Offset(10, 20 + y), 150)), $"row {y}");
        }
    }

    [Theory]
    [InlineData(25)]
    [InlineData(-12)]
    public void Crop_TurnedBox_GivesTheUprightContent(float degrees)
    {
        // An upright 120×30 picture with smooth content, drawn turned into a larger picture.
        static (byte, byte, byte) Content(float u, float v) => ((byte)(u * 2), (byte)(v * 8), 128);
        var centre = new Vector2(100, 80);
        Vector2[] c = MinAreaRectTests.Rectangle(centre, 120, 30, degrees);
        var box = Quad.FromCorners(c[0], c[1], c[2], c[3]);
        Vector2 across = Vector2.Normalize(box.TopRight - box.TopLeft), down = Vector2.Normalize(box.BottomLeft - box.TopLeft);
        RgbImage image = Pattern(200, 160, (x, y) =>
        {
            Vector2 d = new Vector2(x, y) - box.TopLeft;
            return Content(Math.Clamp(Vector2.Dot(d, across), 0, 119), Math.Clamp(Vector2.Dot(d, down), 0, 29));
        });

        RgbImage crop = CropPerspective.Crop(image, box);

        Assert.InRange(crop.Width, 119, 120);
        Assert.InRange(crop.Height, 29, 30);
        for (int y = 2; y < crop.Height - 2; y += 3)
        {
            for (int x = 2; x < crop.Width - 2; x += 5)
            {
                var (r, g, _) = Content(x, y);
                int o = crop.Offset(x, y);
                Assert.True(Math.Abs(crop.Pixels[o] - r) <= 3 && Math.Abs(crop.Pixels[o + 1] - g) <= 9,
                    $"({x}, {y}): expected about ({r}, {g}), got ({crop.Pixels[o]}, {crop.Pixels[o + 1]})");
            }
        }
    }

    [Fact]
    public void Crop_TallBox_IsTurnedCounterClockwise()
    {
        // A 20 × 60 box whose top third is red: turned a quarter to the left, red comes first from the left.
        RgbImage image = Pattern(40, 80, (_, y) => y < 30 ? ((byte)255, (byte)0, (byte)0) : ((byte)0, (byte)0, (byte)255));
        var box = new Quad(new Vector2(10, 10), new Vector2(30, 10), new Vector2(30, 70), new Vector2(10, 70));

        RgbImage crop = CropPerspective.Crop(image, box);

        Assert.Equal((60, 20), (crop.Width, crop.Height));
        Assert.Equal(255, crop.Pixels[crop.Offset(5, 10)]);
        Assert.Equal(255, crop.Pixels[crop.Offset(50, 10) + 2]);
    }

    [Fact]
    public void RotateCounterClockwise_LastColumnBecomesFirstRow()
    {
        // 2×1: left red, right green → 1×2: top green, bottom red.
        var image = new RgbImage(2, 1, [255, 0, 0, 0, 255, 0]);

        RgbImage turned = CropPerspective.RotateCounterClockwise(image);

        Assert.Equal((1, 2), (turned.Width, turned.Height));
        Assert.Equal([0, 255, 0, 255, 0, 0], turned.Pixels);
    }

    [Fact]
    public void Rotate180_ReversesThePixels()
    {
        var image = new RgbImage(3, 1, [1, 2, 3, 4, 5, 6, 7, 8, 9]);

        Assert.Equal([7, 8, 9, 4, 5, 6, 1, 2, 3], CropPerspective.Rotate180(image).Pixels);
    }

    internal static RgbImage Pattern(int width, int height, Func<int, int, (byte R, byte G, byte B)> colour)
    {
        var image = new RgbImage(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                var (r, g, b) = colour(x, y);
                int o = image.Offset(x, y);
                (image.Pixels[o], image.Pixels[o + 1], image.Pixels[o + 2]) = (r, g, b);
            }
        }

        return image;
    }
}
