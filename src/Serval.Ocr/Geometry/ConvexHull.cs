using System.Numerics;

namespace Serval.Ocr.Geometry;

/// <summary>Convex hulls of point sets (Andrew's monotone chain, O(n log n)).</summary>
public static class ConvexHull
{
    /// <summary>
    /// The hull of <paramref name="points"/>, counter-clockwise in a y-up frame (clockwise on screen),
    /// without collinear points. One point for a single point (or all equal), two for collinear
    /// points. <paramref name="points"/> is sorted in place.
    /// </summary>
    public static Vector2[] Of(Span<Vector2> points)
    {
        if (points.Length == 0)
        {
            return [];
        }

        points.Sort(static (a, b) => a.X != b.X ? a.X.CompareTo(b.X) : a.Y.CompareTo(b.Y));
        var hull = new Vector2[points.Length + 1];
        int k = 0;
        // Lower chain left to right, then upper chain right to left; pop while not turning left.
        for (int i = 0; i < points.Length; i++)
        {
            while (k >= 2 && Cross(hull[k - 2], hull[k - 1], points[i]) <= 0)
            {
                k--;
            }

            hull[k++] = points[i];
        }

        for (int i = points.Length - 2, lower = k + 1; i >= 0; i--)
        {
            while (k >= lower && Cross(hull[k - 2], hull[k - 1], points[i]) <= 0)
            {
                k--;
            }

            hull[k++] = points[i];
        }

        // The last point repeats the first; a single distinct point leaves k = 1 or 2 equal points.
        int count = Math.Max(1, k - 1);
        if (count == 2 && hull[0] == hull[1])
        {
            count = 1;
        }

        return hull.AsSpan(0, count).ToArray();
    }

    /// <summary>The z of (b − a) × (c − a): positive when a → b → c turns left (y up).</summary>
    internal static double Cross(Vector2 a, Vector2 b, Vector2 c) =>
        ((double)b.X - a.X) * ((double)c.Y - a.Y) - ((double)b.Y - a.Y) * ((double)c.X - a.X);
}
