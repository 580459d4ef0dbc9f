namespace Serval.Examples.Fanout;

/// <summary>One horizontal strip of the page: its first row and its height.</summary>
/// <param name="Top">The strip's first row on the page.</param>
/// <param name="Height">Its rows.</param>
public sealed record Chunk(int Top, int Height)
{
    /// <summary>The row after its last.</summary>
    public int Bottom => Top + Height;
}

/// <summary>What the split step tells the merge step: the page's size and where each chunk lies.</summary>
/// <param name="Width">The page's width.</param>
/// <param name="Height">The page's height.</param>
/// <param name="Chunks">The chunks, top to bottom (item i of the list is chunk i).</param>
public sealed record PageMeta(int Width, int Height, IReadOnlyList<Chunk> Chunks);

/// <summary>
/// Where to cut a long page, and which chunk owns which rows. Pure arithmetic.
/// </summary>
/// <remarks>
/// Strips of <c>chunk</c> rows, each starting <c>chunk − overlap</c> after the one before, the last
/// moved up to end at the page's bottom: 8000 rows, chunk 1000, overlap 120 → tops 0, 880, 1760, …,
/// 6160, 7000 (nine strips). A text line shorter than the overlap lies whole in at least one strip.
/// Each strip owns the rows from the middle of its overlap with the strip above to the middle of its
/// overlap with the strip below, so every row has exactly one owner: a box is kept by the strip that
/// owns its centre, which drops both the halves of lines cut at a strip's edge and the second copy
/// of a line seen whole by two strips.
/// </remarks>
public static class PageChunks
{
    /// <summary>The strips of a page <paramref name="height"/> rows tall.</summary>
    public static List<Chunk> Cut(int height, int chunk, int overlap)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunk, 32);
        ArgumentOutOfRangeException.ThrowIfNegative(overlap);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(overlap, chunk);
        var chunks = new List<Chunk>();
        if (height <= chunk)
        {
            chunks.Add(new Chunk(0, height));
            return chunks;
        }

        for (int top = 0; ; top += chunk - overlap)
        {
            if (top + chunk >= height)
            {
                chunks.Add(new Chunk(height - chunk, chunk));
                return chunks;
            }

            chunks.Add(new Chunk(top, chunk));
        }
    }

    /// <summary>The rows chunk <paramref name="index"/> owns: [from, to).</summary>
    public static (int From, int To) Owned(IReadOnlyList<Chunk> chunks, int index)
    {
        int from = index == 0 ? 0 : (chunks[index].Top + chunks[index - 1].Bottom) / 2;
        int to = index == chunks.Count - 1 ? int.MaxValue : (chunks[index + 1].Top + chunks[index].Bottom) / 2;
        return (from, to);
    }
}
