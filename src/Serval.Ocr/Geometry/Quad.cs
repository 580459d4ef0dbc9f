using System.Numerics;

namespace Serval.Ocr.Geometry;

/// <summary>
/// A quadrilateral in image pixels, corners clockwise from the top left (image y grows downwards).
/// Detected text boxes are rectangles turned by the text's angle; their corners keep this order.
/// </summary>
/// <param name="TopLeft">The first corner.</param>
/// <param name="TopRight">The second corner.</param>
/// <param name="BottomRight">The third corner.</param>
/// <param name="BottomLeft">The fourth corner.</param>
public readonly record struct Quad(Vector2 TopLeft, Vector2 TopRight, Vector2 BottomRight, Vector2 BottomLeft)
{
    /// <summary>
    /// Orders four corners as PaddleOCR does: the two with the smallest x are the left side (the
    /// upper of them is the top left), the other two the right side (the upper is the top right).
    /// For a rectangle the two leftmost corners are always adjacent, so this never crosses edges.
    /// </summary>
    public static Quad FromCorners(Vector2 a, Vector2 b, Vector2 c, Vector2 d)
    {
        Span<Vector2> p = [a, b, c, d];
        // Insertion sort by x (then y, so ties order the same way every time).
        for (int i = 1; i < 4; i++)
        {
            for (int j = i; j > 0 && (p[j].X < p[j - 1].X || (p[j].X == p[j - 1].X && p[j].Y < p[j - 1].Y)); j--)
            {
                (p[j], p[j - 1]) = (p[j - 1], p[j]);
            }
        }

        (Vector2 topLeft, Vector2 bottomLeft) = p[0].Y <= p[1].Y ? (p[0], p[1]) : (p[1], p[0]);
        (Vector2 topRight, Vector2 bottomRight) = p[2].Y <= p[3].Y ? (p[2], p[3]) : (p[3], p[2]);
        return new Quad(topLeft, topRight, bottomRight, bottomLeft);
    }

    /// <summary>The length of the top edge.</summary>
    public float TopWidth => Vector2.Distance(TopLeft, TopRight);

    /// <summary>The length of the left edge.</summary>
    public float LeftHeight => Vector2.Distance(TopLeft, BottomLeft);

    /// <summary>The shorter of the top and left edges: the short side of a rectangle.</summary>
    public float ShortSide => MathF.Min(TopWidth, LeftHeight);

    /// <summary>The corner <paramref name="index"/> (0 top left … 3 bottom left).</summary>
    public Vector2 this[int index] => index switch
    {
        0 => TopLeft,
        1 => TopRight,
        2 => BottomRight,
        3 => BottomLeft,
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, "a quadrilateral has corners 0 to 3"),
    };

    /// <summary>Each corner multiplied by (<paramref name="sx"/>, <paramref name="sy"/>).</summary>
    public Quad Scale(float sx, float sy)
    {
        var s = new Vector2(sx, sy);
        return new Quad(TopLeft * s, TopRight * s, BottomRight * s, BottomLeft * s);
    }

    /// <summary>Each corner rounded to whole pixels and clamped to [0, width] × [0, height].</summary>
    public Quad RoundAndClip(int width, int height)
    {
        Vector2 Fix(Vector2 p) => new(Math.Clamp(MathF.Round(p.X), 0, width), Math.Clamp(MathF.Round(p.Y), 0, height));
        return new Quad(Fix(TopLeft), Fix(TopRight), Fix(BottomRight), Fix(BottomLeft));
    }

    /// <summary>
    /// The smallest axis-aligned rectangle of whole pixels holding the corners: x and y rounded
    /// down, the far edges rounded up. Corners (10.2, 5) … (50.7, 20) → (10, 5, 41, 15).
    /// </summary>
    public (int X, int Y, int Width, int Height) Bounds()
    {
        float minX = MathF.Min(MathF.Min(TopLeft.X, TopRight.X), MathF.Min(BottomRight.X, BottomLeft.X));
        float minY = MathF.Min(MathF.Min(TopLeft.Y, TopRight.Y), MathF.Min(BottomRight.Y, BottomLeft.Y));
        float maxX = MathF.Max(MathF.Max(TopLeft.X, TopRight.X), MathF.Max(BottomRight.X, BottomLeft.X));
        float maxY = MathF.Max(MathF.Max(TopLeft.Y, TopRight.Y), MathF.Max(BottomRight.Y, BottomLeft.Y));
        int x = (int)MathF.Floor(minX);
        int y = (int)MathF.Floor(minY);
        return (x, y, (int)MathF.Ceiling(maxX) - x, (int)MathF.Ceiling(maxY) - y);
    }
}
