using Serval.Core.Cluster;

namespace Serval.Core.Tests.Cluster;

public sealed class LeaseRuleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
    private static readonly LeaseTiming Timing = LeaseTiming.Default;

    [Theory]
    [InlineData(null, 0, LeaseAction.Acquire)]
    [InlineData("c1", 0, LeaseAction.Renew)]
    [InlineData("c2", 0, LeaseAction.Wait)]
    [InlineData("c2", 3900, LeaseAction.Wait)]
    [InlineData("c2", 4000, LeaseAction.TakeOver)]
    [InlineData("c2", 60000, LeaseAction.TakeOver)]
    public void The_next_action_follows_the_holder_and_how_long_its_revision_has_stood(string? holder, int sameForMs, LeaseAction expected)
    {
        var seen = new LeaseObservation(holder, 7, T0);
        Assert.Equal(expected, LeaseRule.Next("c1", seen, T0.AddMilliseconds(sameForMs), Timing));
    }

    [Fact]
    public void A_leader_stops_acting_a_renewal_before_a_standby_may_take_over()
    {
        // The leader sends its renewal at T0; it is written and a standby reads it no earlier.
        var leaderView = new LeaseObservation("c1", 8, T0);
        var standbyView = new LeaseObservation("c1", 8, T0);
        DateTimeOffset lastBelief = T0 + Timing.Belief - TimeSpan.FromMilliseconds(1);

        Assert.True(LeaseRule.Leads("c1", leaderView, T0, lastBelief, Timing));
        Assert.False(LeaseRule.Leads("c1", leaderView, T0, T0 + Timing.Belief, Timing));
        Assert.Equal(LeaseAction.Wait, LeaseRule.Next("c2", standbyView, lastBelief, Timing));
        Assert.Equal(LeaseAction.TakeOver, LeaseRule.Next("c2", standbyView, T0 + Timing.Timeout, Timing));
        Assert.True(Timing.Timeout - Timing.Belief >= Timing.Renew);
    }

    [Fact]
    public void A_controller_that_never_wrote_or_does_not_hold_the_key_does_not_lead()
    {
        Assert.False(LeaseRule.Leads("c1", new LeaseObservation("c1", 3, T0), null, T0, Timing));
        Assert.False(LeaseRule.Leads("c1", new LeaseObservation("c2", 3, T0), T0, T0, Timing));
        Assert.False(LeaseRule.Leads("c1", new LeaseObservation(null, 0, T0), T0, T0, Timing));
    }
}
