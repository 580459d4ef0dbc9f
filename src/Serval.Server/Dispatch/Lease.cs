using Serval.Core.Wire;
using Serval.Node.Instances;

namespace Serval.Server.Dispatch;

/// <summary>A slot on an instance for one invocation, or why none was given (an error as a value).</summary>
/// <param name="Instance">The instance, or null with <paramref name="Error"/> set.</param>
/// <param name="Cold">True when the request waited for this instance to start.</param>
/// <param name="QueueMs">Time spent waiting for the slot.</param>
/// <param name="Error">Why no slot was given: overloaded (429), no instance could start (503), deadline (504).</param>
/// <param name="Provisioned">True when the instance is one of the provisioned minimum (the bill's mode).</param>
public readonly record struct Lease(Instance? Instance, bool Cold, double QueueMs, InvokeError? Error, bool Provisioned = false)
{
    /// <summary>A refusal.</summary>
    public static Lease Fail(ErrorKind kind, string message, double queueMs = 0) => new(null, false, queueMs, new InvokeError(kind, message));
}

/// <summary>What the autoscaler sees of a pool at one moment.</summary>
/// <param name="Ready">Instances serving.</param>
/// <param name="Starting">Instances being started.</param>
/// <param name="InFlight">Invocations running on its instances.</param>
/// <param name="Queued">Requests waiting for a slot.</param>
/// <param name="Observed">Mean in-flight + queued over the autoscaler's stable and panic windows.</param>
/// <param name="LastRequest">When the last request arrived (null: never).</param>
public readonly record struct PoolSnapshot(int Ready, int Starting, int InFlight, int Queued, Serval.Core.Autoscaling.ConcurrencyObservation Observed, DateTimeOffset? LastRequest)
{
    /// <summary>On-demand instances that took no invocation for <c>instances.idle</c>.</summary>
    public int IdleInstances { get; init; }
}
