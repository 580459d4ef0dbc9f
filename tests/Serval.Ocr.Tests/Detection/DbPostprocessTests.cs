using System.Numerics;
using Serval.Ocr.Detection;
using Serval.Ocr.Geometry;
using Serval.Ocr.Tests.Geometry;

namespace Serval.Ocr.Tests.Detection;

public class DbPostprocessTests
{
    [Fact]
    public void Run_OneConfidentRectangle_GivesTheUnclippedBox()
    {
        float[] map = Map(160, 64, (x, y) => x is >= 20 and <= 119 && y is >= 10 and <= 29 ? 0.9f : 0.01f);

        List<Quad> boxes = DbPostprocess.Run(map, 160, 64, 160, 64);

        // Pixel centres span 99 × 19; d = 99 × 19 × 1.5 / 236 = 11.95 → (8.05, −1.95) … (130.95, 40.95), rounded and clipped.
        Quad box = Assert.Single(boxes);
        Assert.Equal(new Quad(new Vector2(8, 0), new Vector2(131, 0), new Vector2(131, 41), new Vector2(8, 41)), box);
    }

    [Fact]
    public void Run_SmallerMap_MapsBackToThePicture()
    {
        float[] map = Map(160, 64, (x, y) => x is >= 20 and <= 119 && y is >= 20 and <= 39 ? 0.9f : 0);

        Quad box = Assert.Single(DbPostprocess.Run(map, 160, 64, 320, 128));

        Assert.Equal(new Vector2(16, 16), box.TopLeft);
        Assert.Equal(new Vector2(262, 102), box.BottomRight);
    }

    [Fact]
    public void Run_RegionBelowTheBoxThreshold_IsDropped()
    {
        // Above the pixel threshold (0.3) but a mean under the box threshold (0.6).
        float[] map = Map(160, 64, (x, y) => x is >= 20 and <= 119 && y is >= 10 and <= 29 ? 0.5f : 0);

        Assert.Empty(DbPostprocess.Run(map, 160, 64, 160, 64));
        Assert.Single(DbPostprocess.Run(map, 160, 64, 160, 64, new DbOptions { BoxThreshold = 0.4f }));
    }

    [Fact]
    public void Run_SpecksAndThinLines_AreDropped()
    {
        float[] map = Map(100, 100, (x, y) => (x is >= 10 and <= 11 && y is >= 10 and <= 11) || (y == 50 && x is >= 5 and <= 90) ? 1f : 0);

        Assert.Empty(DbPostprocess.Run(map, 100, 100, 100, 100));
    }

    [Fact]
    public void Run_TurnedRegion_GivesABoxAtItsAngle()
    {
        Vector2[] c = MinAreaRectTests.Rectangle(new Vector2(100, 60), 120, 16, 20);
        var region = Quad.FromCorners(c[0], c[1], c[2], c[3]);
        float[] map = Map(200, 120, (x, y) => Inside(region, new Vector2(x, y)) ? 0.95f : 0);

        Quad box = Assert.Single(DbPostprocess.Run(map, 200, 120, 200, 120));

        Vector2 top = box.TopRight - box.TopLeft;
        Assert.Equal(20, MathF.Atan2(top.Y, top.X) * 180 / MathF.PI, 1.5f);
        // About 120 × 16 grown by d = 120 × 16 × 1.5 / 272 ≈ 10.6 on each side.
        Assert.InRange(box.TopWidth, 136, 145);
        Assert.InRange(box.LeftHeight, 33, 40);
    }

    [Fact]
    public void Run_TwoRegions_GivesTwoBoxes()
    {
        float[] map = Map(200, 100, (x, y) => y is >= 10 and <= 25 && (x is >= 10 and <= 80 || x is >= 120 and <= 190) ? 0.9f : 0);

        Assert.Equal(2, DbPostprocess.Run(map, 200, 100, 200, 100).Count);
    }

    [Fact]
    public void Run_MapOfTheWrongLength_SaysWhatItExpected()
    {
        var e = Assert.Throws<ArgumentException>(() => DbPostprocess.Run(new float[10], 4, 4, 4, 4));

        Assert.Contains("a 4×4 probability map has 16 values, got 10", e.Message);
    }

    [Fact]
    public void MeanInside_AveragesOnlyThePixelsInsideTheBox()
    {
        // Left half 1, right half 0; the box covers columns 2..5 of rows 0..1: two of four columns are 1.
        float[] map = Map(8, 2, (x, _) => x < 4 ? 1 : 0);
        var box = new Quad(new Vector2(2, 0), new Vector2(5, 0), new Vector2(5, 1), new Vector2(2, 1));

        Assert.Equal(0.5f, DbPostprocess.MeanInside(map, 8, 2, box), 1e-6f);
    }

    private static float[] Map(int width, int height, Func<int, int, float> value)
    {
        float[] map = new float[width * height];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                map[y * width + x] = value(x, y);
            }
        }

        return map;
    }

    private static bool Inside(Quad q, Vector2 p)
    {
        Vector2 u = q.TopRight - q.TopLeft, v = q.BottomLeft - q.TopLeft, d = p - q.TopLeft;
        float a = Vector2.Dot(d, u) / u.LengthSquared(), b = Vector2.Dot(d, v) / v.LengthSquared();
        return a is >= 0 and <= 1 && b is >= 0 and <= 1;
    }
}
