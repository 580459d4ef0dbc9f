using Serval.Ocr.Layout;

namespace Serval.Ocr.Tests.Layout;

public class ReadingOrderTests
{
    [Fact]
    public void Order_TwoLinesOfTwoBoxes_TopToBottomThenLeftToRight()
    {
        // Line 1: "A" at x 10, "B" at x 200 (3 px lower); line 2: "C" at x 10, "D" at x 150 (2 px higher).
        (float, float, float, float)[] boxes =
        [
            (150, 58, 80, 20), // D
            (200, 13, 60, 20), // B
            (10, 60, 100, 20), // C
            (10, 10, 120, 20), // A
        ];

        Assert.Equal([3, 1, 2, 0], ReadingOrder.Order(boxes));
    }

    [Fact]
    public void Order_BoxesOneAboveTheOther_NeverShareALine()
    {
        // Touching vertically: centres 20 apart, half the mean height is 10.
        (float, float, float, float)[] boxes = [(100, 20, 50, 20), (0, 0, 50, 20)];

        Assert.Equal([1, 0], ReadingOrder.Order(boxes));
    }

    [Fact]
    public void Order_SmallWordBesideLargeOne_SharesItsLine()
    {
        // A 40 px heading word and a 24 px word beside it on the same baseline: centres 8 apart < 16.
        (float, float, float, float)[] boxes = [(300, 16, 60, 24), (10, 0, 200, 40), (10, 50, 200, 24)];

        Assert.Equal([1, 0, 2], ReadingOrder.Order(boxes));
    }

    [Fact]
    public void Sort_Lines_ReordersTheLines()
    {
        OcrLine[] lines = [new("second", 0.9f, 0, 40, 50, 20), new("first", 0.9f, 0, 0, 50, 20)];

        Assert.Equal(["first", "second"], ReadingOrder.Sort(lines).Select(l => l.Text));
    }

    [Fact]
    public void Order_Nothing_IsEmpty() => Assert.Empty(ReadingOrder.Order([]));
}
