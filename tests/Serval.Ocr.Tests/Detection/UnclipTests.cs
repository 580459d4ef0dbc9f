using System.Numerics;
using Serval.Ocr.Detection;
using Serval.Ocr.Geometry;
using Serval.Ocr.Tests.Geometry;

namespace Serval.Ocr.Tests.Detection;

public class UnclipTests
{
    [Fact]
    public void Distance_IsAreaTimesRatioOverPerimeter() => Assert.Equal(12.5f, Unclip.Distance(100, 20, 1.5f), 1e-4f);

    [Fact]
    public void Expand_AxisAlignedRectangle_MovesEverySideOut()
    {
        var rect = new Quad(new Vector2(10, 10), new Vector2(110, 10), new Vector2(110, 30), new Vector2(10, 30));

        Quad grown = Unclip.Expand(rect, 1.5f);

        Assert.Equal(new Quad(new Vector2(-2.5f, -2.5f), new Vector2(122.5f, -2.5f), new Vector2(122.5f, 42.5f), new Vector2(-2.5f, 42.5f)), grown);
    }

    [Theory]
    [InlineData(15)]
    [InlineData(-40)]
    public void Expand_RotatedRectangle_KeepsCentreAndAngle(float degrees)
    {
        var centre = new Vector2(300, 200);
        Vector2[] c = MinAreaRectTests.Rectangle(centre, 100, 20, degrees);

        Quad grown = Unclip.Expand(Quad.FromCorners(c[0], c[1], c[2], c[3]), 1.5f);

        Vector2[] e = MinAreaRectTests.Rectangle(centre, 125, 45, degrees);
        Quad expected = Quad.FromCorners(e[0], e[1], e[2], e[3]);
        for (int i = 0; i < 4; i++)
        {
            Assert.True(Vector2.Distance(expected[i], grown[i]) < 1e-3f, $"corner {i}: expected {expected[i]}, got {grown[i]}");
        }
    }

    [Fact]
    public void Expand_RatioZero_LeavesTheRectangle()
    {
        var rect = new Quad(new Vector2(1, 1), new Vector2(9, 1), new Vector2(9, 5), new Vector2(1, 5));

        Assert.Equal(rect, Unclip.Expand(rect, 0));
    }
}
