using System.Numerics;
using Serval.Ocr.Geometry;

namespace Serval.Ocr.Tests.Geometry;

public class ConvexHullTests
{
    [Fact]
    public void Of_SquareWithInteriorAndEdgePoints_KeepsOnlyTheCorners()
    {
        Vector2[] points =
        [
            new(0, 0), new(5, 0), new(10, 0), new(10, 5), new(10, 10), new(5, 10), new(0, 10), new(0, 5),
            new(3, 3), new(7, 6), new(5, 5),
        ];

        Vector2[] hull = ConvexHull.Of(points);

        Assert.Equal(4, hull.Length);
        Assert.Equal(
            new[] { new Vector2(0, 0), new Vector2(0, 10), new Vector2(10, 0), new Vector2(10, 10) },
            hull.OrderBy(p => p.X).ThenBy(p => p.Y));
    }

    [Fact]
    public void Of_TurnsTheSameWayAtEveryCorner()
    {
        var random = new Random(7);
        var points = new Vector2[100];
        for (int i = 0; i < points.Length; i++)
        {
            points[i] = new Vector2(random.Next(100), random.Next(100));
        }

        Vector2[] hull = ConvexHull.Of(points);

        for (int i = 0; i < hull.Length; i++)
        {
            Vector2 a = hull[i], b = hull[(i + 1) % hull.Length], c = hull[(i + 2) % hull.Length];
            Assert.True((b.X - a.X) * (c.Y - a.Y) - (b.Y - a.Y) * (c.X - a.X) > 0, $"no left turn at {b}");
        }
    }

    [Fact]
    public void Of_NoPoints_IsEmpty() => Assert.Empty(ConvexHull.Of([]));
}
