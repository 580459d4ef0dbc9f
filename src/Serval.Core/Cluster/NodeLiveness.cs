namespace Serval.Core.Cluster;

/// <summary>A node's state in the cluster.</summary>
public enum NodeState
{
    /// <summary>Heartbeating and taking instances.</summary>
    Ready,

    /// <summary>Heartbeating, but out of the routing table and taking no new instances (<c>serval drain</c>).</summary>
    Draining,

    /// <summary>No heartbeat for <see cref="NodeLiveness.LostAfter"/>: out of the routing table, its instances placed elsewhere.</summary>
    Lost,
}

/// <summary>
/// Whether a node is alive, pure. Heartbeats come every second into a key-value bucket; a bucket's
/// <c>max_age</c> expiry sends no watch event on nats-server 2.9, so the controller times them out
/// itself, as OpenWhisk's invoker supervision does: a node not heard from for
/// <see cref="LostAfter"/> (two heartbeats missed, and a little for delivery) is lost. The time heard
/// is the reader's own clock when the heartbeat arrived, so a node whose clock is wrong is judged
/// by when it is heard, and its skew is reported, not trusted.
/// </summary>
public static class NodeLiveness
{
    /// <summary>How long a node may be silent before it is lost: 2.5 s (heartbeats every 1 s).</summary>
    public static TimeSpan LostAfter { get; } = TimeSpan.FromMilliseconds(2500);

    /// <summary>How far a node's clock may differ from the reader's before the node is reported skewed.</summary>
    public static TimeSpan SkewTolerated { get; } = TimeSpan.FromSeconds(2);

    /// <summary>The state of a node last heard at <paramref name="heard"/>.</summary>
    public static NodeState StateOf(DateTimeOffset heard, bool draining, DateTimeOffset now, TimeSpan lostAfter) =>
        now - heard >= lostAfter ? NodeState.Lost
        : draining ? NodeState.Draining
        : NodeState.Ready;

    /// <summary>
    /// The node's clock error when its heartbeat stamped <paramref name="sent"/> arrived at
    /// <paramref name="heard"/>; null within <see cref="SkewTolerated"/>. Delivery takes milliseconds,
    /// so a difference of seconds is the clock: sent 12:00:10, heard 12:00:03 → 7 s ahead.
    /// </summary>
    public static TimeSpan? Skew(DateTimeOffset sent, DateTimeOffset heard) =>
        (sent - heard).Duration() > SkewTolerated ? sent - heard : null;

    /// <summary>The word used in the API for <paramref name="state"/>.</summary>
    public static string Name(NodeState state) => state switch
    {
        NodeState.Ready => "ready",
        NodeState.Draining => "draining",
        _ => "lost",
    };
}
