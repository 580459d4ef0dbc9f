using Serval.Core.Specs;

namespace Serval.Core.Autoscaling;

/// <summary>What <see cref="Autoscaler.Decide"/> knows about one version at one moment.</summary>
public sealed record AutoscalerInput
{
    /// <summary>The moment of the decision.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>The mean concurrency over the stable and panic windows (<see cref="ConcurrencyWindow.Observe"/>).</summary>
    public required ConcurrencyObservation Observed { get; init; }

    /// <summary>Instances ready to take invocations.</summary>
    public required int Ready { get; init; }

    /// <summary>Instances starting (wanted by an earlier decision, not ready yet).</summary>
    public int Starting { get; init; }

    /// <summary>The version's <c>instances</c>: min, max, concurrency per instance and idle time.</summary>
    public required InstancesSpec Instances { get; init; }

    /// <summary>When the last invocation arrived; null if none ever did.</summary>
    public DateTimeOffset? LastRequestAt { get; init; }

    /// <summary>How many more instances of this version the node can host now.</summary>
    public required int NodeCapacity { get; init; }

    /// <summary>
    /// Ready instances that took no invocation for <c>instances.idle</c>. Requests go to the busiest
    /// instance with a free slot, so an instance the load does not need gets none and shows up here.
    /// </summary>
    public int IdleInstances { get; init; }

    /// <summary>The previous decision for this version, or null for the first.</summary>
    public ScaleDecision? Previous { get; init; }
}
