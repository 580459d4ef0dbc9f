namespace Serval.Core.Batching;

/// <summary>
/// Splits a batch output back into its items, pure arithmetic on shapes. Row i of an output
/// <c>[N, ...]</c> belongs to the i-th item of the batch.
/// </summary>
public static class BatchSplitter
{
    /// <summary>The time steps of a rec output per input column: PP-OCR's recognizer downsamples width by 8.</summary>
    public const int RecStride = 8;

    /// <summary>
    /// Each of <paramref name="itemCount"/> items' row of an output of <paramref name="shape"/>
    /// <c>[N, d1, d2, ...]</c>: item i owns elements <c>[i × d1 × d2…, (i + 1) × d1 × d2…)</c>.
    /// Example: <c>[3, 4, 5]</c> → rows of 20 elements at offsets 0, 20, 40, each <c>[1, 4, 5]</c>.
    /// Null, with <paramref name="error"/> saying why, when the output is not one row per item.
    /// </summary>
    public static ItemSlice[]? SplitRows(IReadOnlyList<long> shape, int itemCount, out string? error)
    {
        if (shape.Count == 0 || shape[0] != itemCount)
        {
            error = $"the batch output has shape [{string.Join(", ", shape)}], expected {itemCount} rows";
            return null;
        }

        var rowShape = new long[shape.Count];
        rowShape[0] = 1;
        long rowSize = 1;
        for (var d = 1; d < shape.Count; d++)
        {
            rowShape[d] = shape[d];
            rowSize *= shape[d];
        }

        var slices = new ItemSlice[itemCount];
        for (var i = 0; i < itemCount; i++)
        {
            slices[i] = new ItemSlice(i, i * rowSize, rowSize, (long[])rowShape.Clone());
        }

        error = null;
        return slices;
    }

    /// <summary>
    /// How many of a padded rec output's <paramref name="steps"/> time steps an item of
    /// <paramref name="width"/> owns: the first ceil(width / 8), the rest come from padding.
    /// Example: width 100 in a batch padded to 320 (40 steps) → ceil(12.5) = 13 steps.
    /// </summary>
    public static long RecStepsOf(int width, long steps) =>
        Math.Min(steps, (width + (long)RecStride - 1) / RecStride);

    /// <summary>
    /// The part of row <paramref name="row"/> of a rec output <paramref name="shape"/>
    /// <c>[N, T, C]</c> that an item of <paramref name="width"/> owns: its first
    /// <see cref="RecStepsOf"/> time steps, shape <c>[1, steps, C]</c>. Example: <c>[4, 40, 6625]</c>,
    /// row 2, width 100 → offset 2 × 40 × 6625 = 530000, 13 × 6625 = 86125 elements.
    /// </summary>
    /// <exception cref="ArgumentException">The shape is not <c>[N, T, C]</c> or the row is not in it (a caller's bug).</exception>
    public static ItemSlice RecSlice(IReadOnlyList<long> shape, int row, int width)
    {
        if (shape.Count != 3 || row < 0 || row >= shape[0])
        {
            throw new ArgumentException($"row {row} of a rec output [{string.Join(", ", shape)}]: expected [N, T, C] with row < N");
        }

        var steps = RecStepsOf(width, shape[1]);
        var classes = shape[2];
        return new ItemSlice(row, row * shape[1] * classes, steps * classes, [1, steps, classes]);
    }
}
