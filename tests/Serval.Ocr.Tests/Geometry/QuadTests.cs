using System.Numerics;
using Serval.Ocr.Geometry;

namespace Serval.Ocr.Tests.Geometry;

public class QuadTests
{
    [Theory]
    [InlineData(0, 1, 2, 3)]
    [InlineData(2, 0, 3, 1)]
    [InlineData(3, 2, 1, 0)]
    public void FromCorners_AnyOrder_IsClockwiseFromTopLeft(int a, int b, int c, int d)
    {
        // A line turned 10° clockwise: its top right lies lower than its top left.
        Vector2[] corners = MinAreaRectTests.Rectangle(new Vector2(100, 50), 80, 20, 10);

        Quad q = Quad.FromCorners(corners[a], corners[b], corners[c], corners[d]);

        Assert.Equal(new Quad(corners[0], corners[1], corners[2], corners[3]), q);
    }

    [Fact]
    public void Bounds_RoundsOutwards()
    {
        var q = new Quad(new Vector2(10.2f, 5), new Vector2(50.7f, 6), new Vector2(50, 20), new Vector2(11, 19.5f));

        Assert.Equal((10, 5, 41, 15), q.Bounds());
    }

    [Fact]
    public void RoundAndClip_KeepsCornersInside()
    {
        var q = new Quad(new Vector2(-3.4f, -1), new Vector2(120.6f, 2.5f), new Vector2(99.5f, 70), new Vector2(0.4f, 64));

        Quad clipped = q.RoundAndClip(99, 63);

        Assert.Equal(new Quad(new Vector2(0, 0), new Vector2(99, 2), new Vector2(99, 63), new Vector2(0, 63)), clipped);
    }
}
