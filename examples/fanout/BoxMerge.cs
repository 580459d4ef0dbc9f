namespace Serval.Examples.Fanout;

/// <summary>The page's boxes after the merge, and what was dropped on the way.</summary>
/// <param name="Boxes">The boxes in page pixels, [x, y, w, h], top to bottom.</param>
/// <param name="Found">Boxes the strips found in all.</param>
/// <param name="NotOwned">Dropped because another strip owns their centre (cut halves and second copies).</param>
/// <param name="Duplicates">Dropped because a kept box covers the same text (IoU above 0.5).</param>
public sealed record MergedBoxes(IReadOnlyList<int[]> Boxes, int Found, int NotOwned, int Duplicates);

/// <summary>
/// Strip boxes → page boxes: each moved down by its strip's top, kept only by the strip that owns
/// its centre row (<see cref="PageChunks.Owned"/>), then any two that still cover the same text (a
/// line whose centre moved across the owners' border between the two strips' readings) made one,
/// the larger kept. Pure.
/// </summary>
public static class BoxMerge
{
    /// <summary>Two boxes whose intersection over union is above this are one line.</summary>
    public const double SameLine = 0.5;

    /// <summary>Merges <paramref name="perChunk"/>[i], the boxes of chunk i in its own pixels.</summary>
    public static MergedBoxes Merge(IReadOnlyList<Chunk> chunks, IReadOnlyList<IReadOnlyList<int[]>> perChunk)
    {
        if (perChunk.Count != chunks.Count)
        {
            throw new ArgumentException($"{perChunk.Count} box lists for {chunks.Count} chunks", nameof(perChunk));
        }

        var kept = new List<int[]>();
        int found = 0, notOwned = 0;
        for (int i = 0; i < chunks.Count; i++)
        {
            var (from, to) = PageChunks.Owned(chunks, i);
            foreach (int[] box in perChunk[i])
            {
                found++;
                int[] page = [box[0], box[1] + chunks[i].Top, box[2], box[3]];
                int centre = page[1] + page[3] / 2;
                if (centre >= from && centre < to)
                {
                    kept.Add(page);
                }
                else
                {
                    notOwned++;
                }
            }
        }

        // Largest first, so the whole line wins over a part of it.
        kept.Sort((a, b) => ((long)b[2] * b[3]).CompareTo((long)a[2] * a[3]));
        var merged = new List<int[]>(kept.Count);
        int duplicates = 0;
        foreach (int[] box in kept)
        {
            if (merged.Exists(other => IoU(box, other) > SameLine))
            {
                duplicates++;
                continue;
            }

            merged.Add(box);
        }

        merged.Sort((a, b) => a[1] != b[1] ? a[1].CompareTo(b[1]) : a[0].CompareTo(b[0]));
        return new MergedBoxes(merged, found, notOwned, duplicates);
    }

    /// <summary>Intersection over union of two [x, y, w, h] boxes: 100×30 and the same moved 50 right → 1500 / 4500 = 0.33.</summary>
    public static double IoU(int[] a, int[] b)
    {
        long w = Math.Min(a[0] + a[2], b[0] + b[2]) - Math.Max(a[0], b[0]);
        long h = Math.Min(a[1] + a[3], b[1] + b[3]) - Math.Max(a[1], b[1]);
        if (w <= 0 || h <= 0)
        {
            return 0;
        }

        long inter = w * h;
        return (double)inter / ((long)a[2] * a[3] + (long)b[2] * b[3] - inter);
    }
}
