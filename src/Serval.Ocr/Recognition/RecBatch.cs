using Serval.Core.Tensors;

namespace Serval.Ocr.Recognition;

/// <summary>
/// The recogniser's input for several crops: float [N, 3, 48, <paramref name="PaddedWidth"/>], each
/// crop in its own first <paramref name="Widths"/>[i] columns, zeros (mid-grey) after them.
/// </summary>
/// <param name="Tensor">The input.</param>
/// <param name="Widths">Each crop's width after scaling to 48 rows.</param>
/// <param name="PaddedWidth">The common width, a multiple of 8.</param>
public sealed record RecBatch(Tensor Tensor, int[] Widths, int PaddedWidth)
{
    /// <summary>The model's output steps per input column: it downsamples the width by 8.</summary>
    public const int Stride = 8;

    /// <summary>The output steps crop <paramref name="index"/> covers: ceil(width / 8), width 100 → 13.</summary>
    public int StepsOf(int index) => (Widths[index] + Stride - 1) / Stride;
}
