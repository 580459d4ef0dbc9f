using Serval.Core.Batching;

namespace Serval.Core.Tests.Batching;

public class BatchSplitterTests
{
    [Fact]
    public void SplitRows_OneRowPerItem_CoversTheOutputExactly()
    {
        long[] shape = [3, 4, 5];

        var slices = BatchSplitter.SplitRows(shape, 3, out var error);

        Assert.Null(error);
        Assert.NotNull(slices);
        Assert.Equal([0L, 20, 40], slices.Select(s => s.ElementOffset));
        Assert.All(slices, s => Assert.Equal(20, s.ElementCount));
        Assert.All(slices, s => Assert.Equal([1L, 4, 5], s.Shape));
        Assert.Equal([0, 1, 2], slices.Select(s => s.Row));
    }

    [Fact]
    public void SplitRows_SplitsRealValuesBackToTheirItems()
    {
        // Item i's output row is filled with i: every element lands in its own item's slice.
        long[] shape = [4, 2, 3];
        var output = Enumerable.Range(0, 24).Select(e => (float)(e / 6)).ToArray();

        var slices = BatchSplitter.SplitRows(shape, 4, out _)!;

        foreach (var slice in slices)
        {
            var part = output.AsSpan((int)slice.ElementOffset, (int)slice.ElementCount).ToArray();
            Assert.All(part, value => Assert.Equal(slice.Row, value));
        }

        Assert.Equal(output.Length, slices.Sum(s => s.ElementCount));
    }

    [Theory]
    [InlineData(new long[] { 3, 4 }, 2)]
    [InlineData(new long[] { }, 1)]
    public void SplitRows_RowsDoNotMatchItems_ReturnsError(long[] shape, int items)
    {
        var slices = BatchSplitter.SplitRows(shape, items, out var error);

        Assert.Null(slices);
        Assert.Contains($"expected {items} rows", error);
    }

    [Theory]
    // width, steps in the padded output, steps the item owns
    [InlineData(320, 40, 40)]
    [InlineData(100, 40, 13)]   // ceil(100 / 8)
    [InlineData(8, 40, 1)]
    [InlineData(9, 40, 2)]
    [InlineData(330, 40, 40)]   // never more than the output has
    public void RecStepsOf_Width_OwnsCeilWidthOverEight(int width, long steps, long expected)
    {
        Assert.Equal(expected, BatchSplitter.RecStepsOf(width, steps));
    }

    [Fact]
    public void RecSlice_PaddedBatch_TakesTheItemsFirstSteps()
    {
        long[] shape = [4, 40, 6625];

        var slice = BatchSplitter.RecSlice(shape, 2, 100);

        Assert.Equal(2L * 40 * 6625, slice.ElementOffset);
        Assert.Equal(13L * 6625, slice.ElementCount);
        Assert.Equal([1L, 13, 6625], slice.Shape);
    }

    [Theory]
    [InlineData(new long[] { 4, 40 }, 0)]
    [InlineData(new long[] { 4, 40, 6625 }, 4)]
    public void RecSlice_BadShapeOrRow_Throws(long[] shape, int row)
    {
        Assert.Throws<ArgumentException>(() => BatchSplitter.RecSlice(shape, row, 100));
    }
}
