namespace Serval.Core.Batching;

/// <summary>
/// One item's part of a batch output, in the output's flat (row-major) buffer: elements
/// <c>[ElementOffset, ElementOffset + ElementCount)</c>, read as a tensor of <see cref="Shape"/>.
/// </summary>
/// <param name="Row">The item's row in the batch (its index in the batch's items).</param>
/// <param name="ElementOffset">The first element of the item's part.</param>
/// <param name="ElementCount">How many elements it has.</param>
/// <param name="Shape">Its shape, with a leading 1: <c>[1, ...]</c>.</param>
public sealed record ItemSlice(int Row, long ElementOffset, long ElementCount, long[] Shape);
