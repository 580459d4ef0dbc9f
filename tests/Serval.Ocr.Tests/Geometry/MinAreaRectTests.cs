using System.Numerics;
using Serval.Ocr.Geometry;

namespace Serval.Ocr.Tests.Geometry;

public class MinAreaRectTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(30)]
    [InlineData(45)]
    [InlineData(60)]
    [InlineData(89)]
    [InlineData(-20)]
    public void Of_RotatedRectangleWithInteriorPoints_FindsTheRectangle(float degrees)
    {
        Vector2[] corners = Rectangle(new Vector2(200, 150), 120, 30, degrees);
        var points = new List<Vector2>(corners);
        var random = new Random(1);
        for (int i = 0; i < 200; i++)
        {
            // Points inside: convex combinations of the corners.
            float a = (float)random.NextDouble(), b = (float)random.NextDouble();
            points.Add(corners[0] + (corners[1] - corners[0]) * a + (corners[3] - corners[0]) * b);
        }

        Quad rect = MinAreaRect.Of(ConvexHull.Of(points.ToArray()));

        Quad expected = Quad.FromCorners(corners[0], corners[1], corners[2], corners[3]);
        for (int i = 0; i < 4; i++)
        {
            Assert.True(Vector2.Distance(expected[i], rect[i]) < 0.01f, $"corner {i}: expected {expected[i]}, got {rect[i]}");
        }

        Assert.Equal(30, rect.ShortSide, 0.01f);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Of_RandomPoints_AreaIsTheSmallestOverAllHullEdges(int seed)
    {
        var random = new Random(seed);
        var points = new Vector2[60];
        for (int i = 0; i < points.Length; i++)
        {
            points[i] = new Vector2(random.Next(0, 300), random.Next(0, 80) + 0.3f * random.Next(0, 300));
        }

        Vector2[] hull = ConvexHull.Of(points);
        Quad rect = MinAreaRect.Of(hull);

        Assert.Equal(BruteForceArea(hull), rect.TopWidth * rect.LeftHeight, 0.5f);
        foreach (Vector2 p in points)
        {
            Assert.True(Contains(rect, p), $"{p} lies outside the rectangle {rect}");
        }
    }

    [Fact]
    public void Of_SinglePoint_IsARectangleOfSizeZero()
    {
        Quad rect = MinAreaRect.Of(ConvexHull.Of([new Vector2(5, 7), new Vector2(5, 7)]));

        Assert.Equal(new Vector2(5, 7), rect.TopLeft);
        Assert.Equal(0, rect.ShortSide);
    }

    [Fact]
    public void Of_CollinearPoints_HasWidthZero()
    {
        Quad rect = MinAreaRect.Of(ConvexHull.Of([new Vector2(0, 0), new Vector2(5, 5), new Vector2(10, 10)]));

        Assert.Equal(0, rect.ShortSide, 1e-4f);
        Assert.Equal(MathF.Sqrt(200), MathF.Max(rect.TopWidth, rect.LeftHeight), 1e-3f);
    }

    [Fact]
    public void Of_NoPoints_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => MinAreaRect.Of([]));

        Assert.Contains("no points", e.Message);
    }

    /// <summary>Corners of a width × height rectangle turned by degrees (clockwise on screen) about centre.</summary>
    internal static Vector2[] Rectangle(Vector2 centre, float width, float height, float degrees)
    {
        float r = degrees * MathF.PI / 180;
        var u = new Vector2(MathF.Cos(r), MathF.Sin(r)) * (width / 2);
        var v = new Vector2(-MathF.Sin(r), MathF.Cos(r)) * (height / 2);
        return [centre - u - v, centre + u - v, centre + u + v, centre - u + v];
    }

    private static double BruteForceArea(Vector2[] hull)
    {
        double best = double.MaxValue;
        for (int i = 0; i < hull.Length; i++)
        {
            Vector2 u = Vector2.Normalize(hull[(i + 1) % hull.Length] - hull[i]);
            var n = new Vector2(-u.Y, u.X);
            double minU = double.MaxValue, maxU = double.MinValue, minN = double.MaxValue, maxN = double.MinValue;
            foreach (Vector2 p in hull)
            {
                minU = Math.Min(minU, Vector2.Dot(p, u));
                maxU = Math.Max(maxU, Vector2.Dot(p, u));
                minN = Math.Min(minN, Vector2.Dot(p, n));
                maxN = Math.Max(maxN, Vector2.Dot(p, n));
            }

            best = Math.Min(best, (maxU - minU) * (maxN - minN));
        }

        return best;
    }

    private static bool Contains(Quad q, Vector2 p)
    {
        Vector2 u = q.TopRight - q.TopLeft, v = q.BottomLeft - q.TopLeft, d = p - q.TopLeft;
        float a = Vector2.Dot(d, u) / u.LengthSquared(), b = Vector2.Dot(d, v) / v.LengthSquared();
        return a is >= -1e-3f and <= 1 + 1e-3f && b is >= -1e-3f and <= 1 + 1e-3f;
    }
}
