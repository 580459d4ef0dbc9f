using Serval.Core.Releases;
using Serval.Core.Specs;
using Serval.TestSupport;

namespace Serval.Core.Tests.Releases;

/// <summary>
/// The release controller's policy on a fake clock: a table of steps, counts and latencies in,
/// wait / hold / advance / promote / roll back out, each with its reason.
/// </summary>
public class ReleasePolicyTests
{
    private static readonly ReleaseSpec Spec = new()
    {
        Steps = [10, 50, 100], Interval = TimeSpan.FromMinutes(1), MaxErrorRate = 0.01, MaxLatencyRatio = 1.5, MinRequests = 50,
    };

    public static IEnumerable<object[]> Table => new object[][]
    {
        // name, step, seconds into it, old requests/errors/p99, new requests/errors/p99 → action, percent after, reason fragment
        ["watching", 0, 30, 400L, 0L, 20.0, 45L, 0L, 21.0, ReleaseAction.Wait, 10, "watched 30 s of 60 s, 45 requests on v4"],
        ["too few to judge", 0, 61, 400L, 0L, 20.0, 20L, 0L, 21.0, ReleaseAction.Hold, 10, "20 of 50 requests on v4 in 61 s, too few to judge"],
        ["first step passes", 0, 61, 900L, 0L, 20.0, 100L, 0L, 22.0, ReleaseAction.Advance, 50, "step 1 of 3 (10 %) passed: error rate 0.0 % vs 0.0 %, p99 22 ms vs 20 ms (1.1×)"],
        ["last step below 100 passes", 1, 61, 500L, 0L, 20.0, 500L, 0L, 20.0, ReleaseAction.Promote, 100, "step 2 of 3 (50 %) passed"],
        ["errors roll back before the interval", 0, 10, 450L, 0L, 20.0, 50L, 6L, 21.0, ReleaseAction.RollBack, 0, "v4's error rate 12.0 % (6 of 50) is 12.0 points above v3's 0.0 % (0 of 450), more than 1.0 %"],
        ["errors the old one has too", 0, 61, 500L, 25L, 20.0, 60L, 3L, 20.0, ReleaseAction.Advance, 50, "error rate 5.0 % vs 5.0 %"],
        ["errors on too few requests wait", 0, 10, 450L, 0L, 20.0, 10L, 10L, 21.0, ReleaseAction.Wait, 10, "10 requests on v4"],
        ["slower by more than the ratio", 1, 61, 500L, 0L, 30.0, 500L, 0L, 90.0, ReleaseAction.RollBack, 0, "v4's p99 90 ms is 3.0× v3's 30 ms, more than 1.5×"],
        ["twice as slow but within 5 ms", 0, 61, 900L, 0L, 2.0, 100L, 0L, 4.0, ReleaseAction.Advance, 50, "p99 4.0 ms vs 2.0 ms (2.0×)"],
        ["old too quiet to compare p99", 0, 61, 10L, 0L, 2.0, 100L, 0L, 400.0, ReleaseAction.Advance, 50, "not compared: v3 answered 10 of 50"],
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Decide_Table(string name, int step, int seconds, long oldRequests, long oldErrors, double oldP99, long newRequests, long newErrors, double newP99,
        ReleaseAction action, int percent, string reason)
    {
        var clock = new FakeTimeProvider();
        var progress = new ReleaseProgress(3, 4, step, clock.GetUtcNow());
        clock.Advance(TimeSpan.FromSeconds(seconds));

        ReleaseDecision decision = ReleasePolicy.Decide(Spec, progress,
            new VersionWindow(3, oldRequests, oldErrors, oldP99), new VersionWindow(4, newRequests, newErrors, newP99), clock.GetUtcNow());

        Assert.True(action == decision.Action, $"{name}: expected {action}, got {decision.Action} ({decision.Reason})");
        Assert.Equal(percent, decision.Percent);
        Assert.Contains(reason, decision.Reason);
    }

    [Fact]
    public void Decide_ErrorRollback_IsUrgent_LatencyRollbackIsNot()
    {
        var clock = new FakeTimeProvider();
        var progress = new ReleaseProgress(3, 4, 0, clock.GetUtcNow());
        clock.Advance(TimeSpan.FromSeconds(61));

        ReleaseDecision errors = ReleasePolicy.Decide(Spec, progress, new VersionWindow(3, 500, 0, 20), new VersionWindow(4, 50, 50, 20), clock.GetUtcNow());
        ReleaseDecision slow = ReleasePolicy.Decide(Spec, progress, new VersionWindow(3, 500, 0, 20), new VersionWindow(4, 50, 0, 200), clock.GetUtcNow());

        Assert.Equal((ReleaseAction.RollBack, true), (errors.Action, errors.Urgent));
        Assert.Equal((ReleaseAction.RollBack, false), (slow.Action, slow.Urgent));
    }

    [Fact]
    public void Decide_PromoteByHand_AtAnyStep_PromotesAtOnce()
    {
        var clock = new FakeTimeProvider();
        var progress = new ReleaseProgress(3, 4, 0, clock.GetUtcNow());
        clock.Advance(TimeSpan.FromSeconds(5));

        ReleaseDecision decision = ReleasePolicy.Decide(Spec, progress, new VersionWindow(3, 0, 0, 0), new VersionWindow(4, 0, 0, 0), clock.GetUtcNow(), ReleaseCommand.Promote);

        Assert.Equal((ReleaseAction.Promote, 100, 2), (decision.Action, decision.Percent, decision.Step));
        Assert.Equal("promoted by hand at step 1 of 3 (10 %)", decision.Reason);
    }

    [Fact]
    public void Decide_RollbackByHand_MidRelease_RollsBackWhateverTheFigures()
    {
        var clock = new FakeTimeProvider();
        var progress = new ReleaseProgress(3, 4, 1, clock.GetUtcNow());
        clock.Advance(TimeSpan.FromSeconds(61));

        // Figures that would pass the step: the command wins.
        ReleaseDecision decision = ReleasePolicy.Decide(Spec, progress, new VersionWindow(3, 500, 0, 20), new VersionWindow(4, 500, 0, 20), clock.GetUtcNow(), ReleaseCommand.RollBack);

        Assert.Equal((ReleaseAction.RollBack, 0), (decision.Action, decision.Percent));
        Assert.False(decision.Urgent);
        Assert.Equal("rolled back by hand at step 2 of 3 (50 %)", decision.Reason);
    }

    [Fact]
    public void Decide_HeldStep_AdvancesOnceEnoughArrive()
    {
        var clock = new FakeTimeProvider();
        var progress = new ReleaseProgress(3, 4, 0, clock.GetUtcNow());
        clock.Advance(TimeSpan.FromSeconds(90));
        ReleaseDecision held = ReleasePolicy.Decide(Spec, progress, new VersionWindow(3, 400, 0, 20), new VersionWindow(4, 49, 0, 20), clock.GetUtcNow());

        clock.Advance(TimeSpan.FromSeconds(30));
        ReleaseDecision passed = ReleasePolicy.Decide(Spec, progress, new VersionWindow(3, 500, 0, 20), new VersionWindow(4, 50, 0, 20), clock.GetUtcNow());

        Assert.Equal(ReleaseAction.Hold, held.Action);
        Assert.Equal((ReleaseAction.Advance, 1, 50), (passed.Action, passed.Step, passed.Percent));
    }

    [Theory]
    [InlineData(0, 10, 0, 4, 0)]
    [InlineData(3, 10, 0, 4, 1)]
    [InlineData(4, 50, 0, 4, 2)]
    [InlineData(3, 100, 0, 4, 3)]
    [InlineData(8, 100, 0, 4, 4)]
    [InlineData(0, 100, 2, 4, 2)]
    public void WarmCount_ShareOfWhatServes_BoundByMinAndMax(int serving, int percent, int min, int max, int expected)
    {
        Assert.Equal(expected, WarmCount.For(serving, percent, min, max));
    }
}
