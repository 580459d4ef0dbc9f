using Serval.Core.Cluster;

namespace Serval.Core.Tests.Cluster;

public sealed class NodeLivenessTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, false, NodeState.Ready)]
    [InlineData(2499, false, NodeState.Ready)]
    [InlineData(2500, false, NodeState.Lost)]
    [InlineData(1000, true, NodeState.Draining)]
    [InlineData(9000, true, NodeState.Lost)]
    public void A_node_is_lost_once_silent_for_the_timeout_whatever_else(int silentMs, bool draining, NodeState expected)
    {
        Assert.Equal(expected, NodeLiveness.StateOf(T0, draining, T0.AddMilliseconds(silentMs), NodeLiveness.LostAfter));
    }

    [Theory]
    [InlineData(0, null)]
    [InlineData(1900, null)]
    [InlineData(-1900, null)]
    [InlineData(7000, 7000)]
    [InlineData(-3000, -3000)]
    public void Skew_is_reported_beyond_two_seconds(int aheadMs, int? reportedMs)
    {
        TimeSpan? skew = NodeLiveness.Skew(T0.AddMilliseconds(aheadMs), T0);
        Assert.Equal(reportedMs, skew is { } s ? (int)s.TotalMilliseconds : null);
    }

    [Fact]
    public void States_have_the_api_names()
    {
        Assert.Equal(["ready", "draining", "lost"], Enum.GetValues<NodeState>().Select(NodeLiveness.Name));
    }
}
