namespace Serval.Ocr.Layout;

/// <summary>
/// Puts text boxes in reading order: top to bottom, and left to right within a line. Boxes sorted
/// by vertical centre are grouped into lines; a box joins the current line when its centre is less
/// than half their mean height below the line's first box (heights 20 and 24: within 11 px), so
/// boxes that overlap vertically by more than half read as one line, and boxes one above the other
/// never do. (PaddleOCR's sorted_boxes uses a fixed 10 px on the top-left corners, which fails for
/// large text and for small text on tight lines.)
/// </summary>
public static class ReadingOrder
{
    /// <summary>The order to read axis-aligned boxes in: indices into <paramref name="boxes"/>.</summary>
    public static int[] Order(IReadOnlyList<(float X, float Y, float Width, float Height)> boxes)
    {
        int n = boxes.Count;
        int[] byCentre = new int[n];
        for (int i = 0; i < n; i++)
        {
            byCentre[i] = i;
        }

        Array.Sort(byCentre, (a, b) =>
        {
            int c = CentreY(boxes[a]).CompareTo(CentreY(boxes[b]));
            c = c != 0 ? c : boxes[a].X.CompareTo(boxes[b].X);
            return c != 0 ? c : a.CompareTo(b);
        });

        int lineStart = 0;
        for (int i = 0; i < n; i++)
        {
            var first = boxes[byCentre[lineStart]];
            var box = boxes[byCentre[i]];
            if (i > lineStart && CentreY(box) - CentreY(first) >= (first.Height + box.Height) / 4)
            {
                SortByX(byCentre, lineStart, i, boxes);
                lineStart = i;
            }
        }

        SortByX(byCentre, lineStart, n, boxes);
        return byCentre;
    }

    /// <summary><paramref name="lines"/> in reading order, by their rectangles.</summary>
    public static IReadOnlyList<OcrLine> Sort(IReadOnlyList<OcrLine> lines)
    {
        var boxes = new (float, float, float, float)[lines.Count];
        for (int i = 0; i < lines.Count; i++)
        {
            boxes[i] = (lines[i].X, lines[i].Y, lines[i].Width, lines[i].Height);
        }

        int[] order = Order(boxes);
        var result = new OcrLine[order.Length];
        for (int i = 0; i < order.Length; i++)
        {
            result[i] = lines[order[i]];
        }

        return result;
    }

    private static float CentreY((float X, float Y, float Width, float Height) box) => box.Y + box.Height / 2;

    private static void SortByX(int[] indices, int start, int end,
        IReadOnlyList<(float X, float Y, float Width, float Height)> boxes) =>
        Array.Sort(indices, start, end - start, Comparer<int>.Create((a, b) =>
        {
            int c = boxes[a].X.CompareTo(boxes[b].X);
            return c != 0 ? c : a.CompareTo(b);
        }));
}
