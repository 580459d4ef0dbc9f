using System.Numerics;
using Serval.Ocr.Geometry;

namespace Serval.Ocr.Detection;

/// <summary>
/// Grows a detected rectangle back to the text's extent. DB is trained on text regions shrunk by
/// d = area × (1 − r²) / perimeter (Vatti clipping), so PaddleOCR offsets each found polygon by
/// d = area × ratio / perimeter with rounded joins and takes the minimum-area rectangle of the
/// result. For a rectangle that rectangle is simply the original with every side moved out by d.
/// </summary>
public static class Unclip
{
    /// <summary>The distance each side moves: 100×20, ratio 1.5 → 2000 × 1.5 / 240 = 12.5.</summary>
    public static float Distance(float width, float height, float ratio)
    {
        float perimeter = 2 * (width + height);
        return perimeter == 0 ? 0 : width * height * ratio / perimeter;
    }

    /// <summary><paramref name="rect"/> (a rectangle) with each side moved out by <see cref="Distance"/>.</summary>
    public static Quad Expand(Quad rect, float ratio)
    {
        float width = rect.TopWidth, height = rect.LeftHeight;
        if (width == 0 || height == 0)
        {
            return rect;
        }

        float d = Distance(width, height, ratio);
        Vector2 across = (rect.TopRight - rect.TopLeft) / width * d;
        Vector2 down = (rect.BottomLeft - rect.TopLeft) / height * d;
        return Quad.FromCorners(
            rect.TopLeft - across - down,
            rect.TopRight + across - down,
            rect.BottomRight + across + down,
            rect.BottomLeft - across + down);
    }
}
