using Serval.Core.Batching;
using static Serval.Core.Tests.Batching.Queue;

namespace Serval.Core.Tests.Batching;

public class BatchFormerTests
{
    private static readonly BatchingOptions Options = new() { Max = 4, Delay = TimeSpan.FromMilliseconds(10) };

    [Fact]
    public void Decide_EmptyQueue_IsIdle()
    {
        var decision = BatchFormer.Decide([], At(0), Options);

        var idle = Assert.IsType<BatchDecision.Idle>(decision);
        Assert.Empty(idle.Dropped);
    }

    [Theory]
    [InlineData(4, new long[] { 1, 2, 3, 4 })]      // exactly full
    [InlineData(6, new long[] { 1, 2, 3, 4 })]      // more than full: the oldest four
    public void Decide_BatchFull_RunsAtOnce(int queued, long[] expected)
    {
        var queue = Arrivals(Enumerable.Range(0, queued).Select(i => (double)i).ToArray());

        // At 5 ms nobody has waited the 10 ms delay: only fullness runs the batch.
        var run = Assert.IsType<BatchDecision.RunNow>(BatchFormer.Decide(queue, At(5), Options));

        Assert.Equal(expected, Ids(run.Items));
        Assert.Equal(0, run.PaddedWidth);
    }

    [Theory]
    [InlineData(10)]    // exactly the delay
    [InlineData(25)]    // well past it
    public void Decide_DelayExpired_RunsWhatIsThere(double nowMs)
    {
        var queue = Arrivals(0, 3, 7);

        var run = Assert.IsType<BatchDecision.RunNow>(BatchFormer.Decide(queue, At(nowMs), Options));

        Assert.Equal([1L, 2, 3], Ids(run.Items));
    }

    [Theory]
    [InlineData(0, 10)]     // one item, just arrived: wait the whole delay
    [InlineData(9.5, 10)]   // half a millisecond left
    public void Decide_NotFullNotExpired_WaitsUntilOldestPlusDelay(double nowMs, double untilMs)
    {
        var queue = Arrivals(0, 2, 4);

        var wait = Assert.IsType<BatchDecision.Wait>(BatchFormer.Decide(queue, At(nowMs), Options));

        Assert.Equal(At(untilMs), wait.Until);
    }

    [Fact]
    public void Decide_ZeroDelay_RunsALoneItemAtOnce()
    {
        var queue = Arrivals(3);

        var decision = BatchFormer.Decide(queue, At(3), Options with { Delay = TimeSpan.Zero });

        Assert.Equal([1L], Ids(Assert.IsType<BatchDecision.RunNow>(decision).Items));
    }

    [Fact]
    public void Decide_CancelledWhileQueued_IsDroppedAndReported()
    {
        var queue = Arrivals(0, 1, 2, 3, 4);
        queue[0] = queue[0] with { Cancelled = true };
        queue[2] = queue[2] with { Cancelled = true };

        // Three live items at 5 ms: not full, and the oldest live one (2, at 1 ms) waits until 11 ms.
        var wait = Assert.IsType<BatchDecision.Wait>(BatchFormer.Decide(queue, At(5), Options));
        Assert.Equal([1L, 3], Ids(wait.Dropped));
        Assert.Equal(At(11), wait.Until);

        var run = Assert.IsType<BatchDecision.RunNow>(BatchFormer.Decide(queue, At(11), Options));
        Assert.Equal([2L, 4, 5], Ids(run.Items));
        Assert.Equal([1L, 3], Ids(run.Dropped));
    }

    [Fact]
    public void Decide_AllCancelled_IsIdleAndReportsThem()
    {
        var queue = Arrivals(0, 1).Select(item => item with { Cancelled = true }).ToList();

        var idle = Assert.IsType<BatchDecision.Idle>(BatchFormer.Decide(queue, At(50), Options));

        Assert.Equal([1L, 2], Ids(idle.Dropped));
    }
}
