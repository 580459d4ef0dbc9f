using Serval.Core.Cluster;
using Serval.Core.Placement;

namespace Serval.Cluster.Membership;

/// <summary>A node as a controller or gateway sees it now: its last heartbeat, when it was heard, its state.</summary>
/// <param name="Report">The last heartbeat.</param>
/// <param name="Heard">When it arrived, on the reader's clock.</param>
/// <param name="State">Ready, draining or lost.</param>
/// <param name="Skew">How far the node's clock is off, where beyond <see cref="NodeLiveness.SkewTolerated"/>.</param>
/// <param name="Drain">Why it is draining, when it is.</param>
public sealed record NodeView(NodeReport Report, DateTimeOffset Heard, NodeState State, TimeSpan? Skew, string? Drain)
{
    /// <summary>The node as the scheduler takes it.</summary>
    public NodeOffer Offer() => new(
        Report.Id,
        Report.Labels,
        Report.Cores,
        Report.MemoryMb,
        Report.Gpus.Select(g => new GpuOffer(g.Used, g.MemoryMb, g.ReservedMemoryMb)).ToArray(),
        Report.ReservedCores,
        Report.ReservedMemoryMb,
        Report.Instances.GroupBy(i => $"{i.Function}:{i.Version}").ToDictionary(g => g.Key, g => g.Count()));
}
