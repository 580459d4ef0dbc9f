using System.Numerics;

namespace Serval.Ocr.Geometry;

/// <summary>
/// The projective map from the unit square onto a quadrilateral: (0,0) → top left, (1,0) → top
/// right, (1,1) → bottom right, (0,1) → bottom left, in closed form (Heckbert, "Fundamentals of
/// Texture Mapping and Image Warping", 1989, §2.2.3).
/// </summary>
public readonly struct Homography
{
    private readonly double _a, _b, _c, _d, _e, _f, _g, _h;

    private Homography(double a, double b, double c, double d, double e, double f, double g, double h) =>
        (_a, _b, _c, _d, _e, _f, _g, _h) = (a, b, c, d, e, f, g, h);

    /// <summary>The map from the unit square onto <paramref name="quad"/>.</summary>
    public static Homography SquareTo(Quad quad)
    {
        double x0 = quad.TopLeft.X, y0 = quad.TopLeft.Y, x1 = quad.TopRight.X, y1 = quad.TopRight.Y;
        double x2 = quad.BottomRight.X, y2 = quad.BottomRight.Y, x3 = quad.BottomLeft.X, y3 = quad.BottomLeft.Y;
        double sx = x0 - x1 + x2 - x3, sy = y0 - y1 + y2 - y3;
        double dx1 = x1 - x2, dx2 = x3 - x2, dy1 = y1 - y2, dy2 = y3 - y2;
        double den = dx1 * dy2 - dx2 * dy1;
        // A parallelogram (sx = sy = 0), or a quad too flat to invert, maps affinely.
        double g = 0, h = 0;
        if ((sx != 0 || sy != 0) && Math.Abs(den) > 1e-12)
        {
            g = (sx * dy2 - dx2 * sy) / den;
            h = (dx1 * sy - sx * dy1) / den;
        }

        return new Homography(x1 - x0 + g * x1, x3 - x0 + h * x3, x0, y1 - y0 + g * y1, y3 - y0 + h * y3, y0, g, h);
    }

    /// <summary>The image of (<paramref name="u"/>, <paramref name="v"/>) in the unit square.</summary>
    public Vector2 Map(double u, double v)
    {
        double w = _g * u + _h * v + 1;
        return new Vector2((float)((_a * u + _b * v + _c) / w), (float)((_d * u + _e * v + _f) / w));
    }
}
