using Serval.Node.Instances;

namespace Serval.Server.Dispatch;

/// <summary>One invocation's answer and the facts its headers report.</summary>
/// <param name="Outcome">The answer body, or the error.</param>
/// <param name="InstanceId">The instance that ran it ("" when none could).</param>
/// <param name="ColdStart">True when the invocation waited for an instance to start.</param>
/// <param name="DurationMs">Time inside the instance (send to answer).</param>
/// <param name="MemoryMb">The instance's resident memory.</param>
/// <param name="QueueMs">Time it waited for a slot (a cold start's included) before it was sent.</param>
/// <param name="Node">The cluster node the instance runs on; null on the all-in-one platform.</param>
/// <param name="Provisioned">True when it ran on a provisioned instance (billed under the mode <c>provisioned</c>).</param>
public readonly record struct InvocationResult(InvokeOutcome Outcome, string InstanceId, bool ColdStart, double DurationMs, double MemoryMb, double QueueMs = 0, string? Node = null, bool Provisioned = false);
