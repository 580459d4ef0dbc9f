using Serval.Core.Batching;
using static Serval.Core.Tests.Batching.Queue;

namespace Serval.Core.Tests.Batching;

public class BatchFormerWidthTests
{
    private static readonly BatchingOptions Bucketed = new()
    {
        Max = 3,
        Delay = TimeSpan.FromMilliseconds(10),
        WidthBuckets = [160, 320, 640, 1280],
    };

    private static readonly BatchingOptions Unbucketed = Bucketed with { WidthBuckets = null };

    [Theory]
    // widths (item i arrives at i ms); the batch at 100 ms (all expired); its padded width
    [InlineData(new[] { 100, 300, 150, 320 }, new long[] { 1, 3 }, 160)]        // oldest's bucket (160) first
    [InlineData(new[] { 300, 100, 161, 150 }, new long[] { 1, 3 }, 320)]        // 161 → 320, not 160
    [InlineData(new[] { 1280, 100 }, new long[] { 1 }, 1280)]                   // at the largest bucket: a bucket like any
    [InlineData(new[] { 2000, 100, 120 }, new long[] { 1 }, 2000)]              // oversize: alone, at its own width
    [InlineData(new[] { 100, 120, 140, 150 }, new long[] { 1, 2, 3 }, 160)]     // one bucket, capped at Max
    public void Decide_Buckets_GroupsByBucketOldestFirst(int[] widths, long[] expected, int padded)
    {
        var run = Assert.IsType<BatchDecision.RunNow>(BatchFormer.Decide(Widths(widths), At(100), Bucketed));

        Assert.Equal(expected, Ids(run.Items));
        Assert.Equal(padded, run.PaddedWidth);
    }

    [Fact]
    public void Decide_BucketsYoungerBucketFull_RunsItBeforeTheOlderOnesDeadline()
    {
        // 500 (bucket 640) waits alone; three 100s fill bucket 160 at 3 ms.
        var queue = Widths(500, 100, 110, 120);

        var run = Assert.IsType<BatchDecision.RunNow>(BatchFormer.Decide(queue, At(3), Bucketed));

        Assert.Equal([2L, 3, 4], Ids(run.Items));
        Assert.Equal(160, run.PaddedWidth);
    }

    [Fact]
    public void Decide_OversizeItem_RunsAloneAtOnce()
    {
        var queue = Widths(100, 5000);

        // At 1 ms the 100 has not waited its delay, but the oversize item can share with nothing.
        var run = Assert.IsType<BatchDecision.RunNow>(BatchFormer.Decide(queue, At(1), Bucketed));

        Assert.Equal([2L], Ids(run.Items));
        Assert.Equal(5000, run.PaddedWidth);
    }

    [Fact]
    public void Decide_BucketsNotReady_WaitsForTheOldest()
    {
        var queue = Widths(500, 100);

        var wait = Assert.IsType<BatchDecision.Wait>(BatchFormer.Decide(queue, At(2), Bucketed));

        Assert.Equal(At(10), wait.Until);
    }

    [Theory]
    // widths (item i arrives at i ms); the batch at 100 ms; padded to its widest
    [InlineData(new[] { 100, 180, 200 }, new long[] { 1, 2, 3 }, 200)]      // 200 = 2 × 100: allowed
    [InlineData(new[] { 100, 201, 150 }, new long[] { 1, 3 }, 150)]         // 201 > 2 × 100: a later batch
    [InlineData(new[] { 300, 100, 160 }, new long[] { 1, 3 }, 300)]         // 100 would be padded 3×
    [InlineData(new[] { 100, 250, 300, 400 }, new long[] { 1 }, 100)]       // nothing fits the oldest
    [InlineData(new[] { 0, 0, 0 }, new long[] { 1, 2, 3 }, 0)]              // no variable dimension
    public void Decide_NoBuckets_PadsToWidestAtMostTwice(int[] widths, long[] expected, int padded)
    {
        var run = Assert.IsType<BatchDecision.RunNow>(BatchFormer.Decide(Widths(widths), At(100), Unbucketed));

        Assert.Equal(expected, Ids(run.Items));
        Assert.Equal(padded, run.PaddedWidth);
        Assert.All(run.Items, item => Assert.True(run.PaddedWidth <= 2 * item.Width));
    }

    [Fact]
    public void Decide_NoBucketsSkippedItems_FormTheNextBatch()
    {
        var queue = Widths(100, 250, 150, 300);

        var first = Assert.IsType<BatchDecision.RunNow>(BatchFormer.Decide(queue, At(100), Unbucketed));
        queue.RemoveAll(item => first.Items.Contains(item));
        var second = Assert.IsType<BatchDecision.RunNow>(BatchFormer.Decide(queue, At(100), Unbucketed));

        Assert.Equal([1L, 3], Ids(first.Items));
        Assert.Equal([2L, 4], Ids(second.Items));
        Assert.Equal(300, second.PaddedWidth);
    }
}
