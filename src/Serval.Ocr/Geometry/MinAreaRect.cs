using System.Numerics;

namespace Serval.Ocr.Geometry;

/// <summary>
/// The rotated rectangle of least area around a convex polygon, by rotating calipers: the best
/// rectangle has one side on a hull edge (Freeman and Shapira, 1975), so for each edge in turn
/// three pointers track the farthest hull points ahead, behind and across it, each only moving
/// forward: O(h) for a hull of h points. This is what OpenCV's minAreaRect does.
/// </summary>
public static class MinAreaRect
{
    /// <summary>
    /// The rectangle around <paramref name="hull"/> (as <see cref="ConvexHull.Of"/> returns it),
    /// corners ordered by <see cref="Quad.FromCorners"/>. A point gives a rectangle of size zero, a
    /// segment one of width zero.
    /// </summary>
    public static Quad Of(ReadOnlySpan<Vector2> hull)
    {
        int n = hull.Length;
        if (n == 0)
        {
            throw new ArgumentException("the hull has no points", nameof(hull));
        }

        if (n < 3)
        {
            Vector2 a = hull[0], b = hull[n - 1];
            return Quad.FromCorners(a, b, b, a);
        }

        double bestArea = double.PositiveInfinity;
        Vector2 best0 = default, best1 = default, best2 = default, best3 = default;
        int right = 1, top = 1, left = 1;
        for (int i = 0; i < n; i++)
        {
            Vector2 origin = hull[i];
            (double ux, double uy) = Unit(hull[(i + 1) % n] - origin);
            if (double.IsNaN(ux))
            {
                continue;
            }

            // The normal (−uy, ux) points to the hull's side of the edge (the hull turns left).
            double nx = -uy, ny = ux;
            right = Advance(hull, Math.Max(right, i + 1), ux, uy, +1);
            top = Advance(hull, Math.Max(top, right), nx, ny, +1);
            left = Advance(hull, Math.Max(left, top), ux, uy, -1);

            double maxU = Dot(hull[right % n] - origin, ux, uy);
            double minU = Dot(hull[left % n] - origin, ux, uy);
            double maxN = Dot(hull[top % n] - origin, nx, ny);
            double area = (maxU - minU) * maxN;
            if (area < bestArea)
            {
                bestArea = area;
                best0 = At(origin, ux, uy, nx, ny, minU, 0);
                best1 = At(origin, ux, uy, nx, ny, maxU, 0);
                best2 = At(origin, ux, uy, nx, ny, maxU, maxN);
                best3 = At(origin, ux, uy, nx, ny, minU, maxN);
            }
        }

        return Quad.FromCorners(best0, best1, best2, best3);
    }

    /// <summary>
    /// Moves index <paramref name="from"/> (unwrapped: it may exceed n) forward while the next hull
    /// point lies further along <paramref name="sign"/> × (dx, dy); at most one lap.
    /// </summary>
    private static int Advance(ReadOnlySpan<Vector2> hull, int from, double dx, double dy, int sign)
    {
        int n = hull.Length;
        int index = from;
        for (int step = 0; step < n; step++)
        {
            double here = sign * Dot(hull[index % n], dx, dy);
            double next = sign * Dot(hull[(index + 1) % n], dx, dy);
            if (next <= here + 1e-9)
            {
                break;
            }

            index++;
        }

        return index;
    }

    private static (double X, double Y) Unit(Vector2 v)
    {
        double length = Math.Sqrt((double)v.X * v.X + (double)v.Y * v.Y);
        return length == 0 ? (double.NaN, double.NaN) : (v.X / length, v.Y / length);
    }

    private static double Dot(Vector2 v, double x, double y) => v.X * x + v.Y * y;

    private static Vector2 At(Vector2 origin, double ux, double uy, double nx, double ny, double u, double v) =>
        new((float)(origin.X + ux * u + nx * v), (float)(origin.Y + uy * u + ny * v));
}
