using Serval.Node.Instances;
using Serval.Server.Dispatch;
using Serval.Server.Functions;
using Serval.Server.Plans;

namespace Serval.Server.Monitoring;

/// <summary>
/// Where the platform's events become figures: every answered invocation and plan call (the
/// <c>/monitor</c> window and the <c>serval_invocations_*</c>, duration and billed series), every cold start.
/// </summary>
public sealed class InvocationRecorder
{
    private readonly FunctionStats _stats;
    private readonly Metrics _metrics;

    /// <summary>Subscribes to the supervisor's events.</summary>
    public InvocationRecorder(FunctionStats stats, Metrics metrics, InstanceSupervisor supervisor)
    {
        _stats = stats;
        _metrics = metrics;
        supervisor.InstanceReady += instance =>
        {
            if (!instance.Id.StartsWith("check-", StringComparison.Ordinal))
            {
                metrics.ColdStart(instance.Config.Function, instance.Config.Version, instance.ColdStartMs / 1000);
            }
        };
    }

    /// <summary>Counts one answered invocation.</summary>
    public void Record(DeployedVersion version, in InvocationResult result)
    {
        _stats.Record(version.Function, result.DurationMs);
        _metrics.Invocation(version.Function, version.Version, result.Outcome.Error, result.QueueMs, result.DurationMs, dispatched: result.InstanceId.Length > 0 || result.QueueMs > 0);
    }

    /// <summary>Counts a request refused before dispatch (its input was wrong).</summary>
    public void Refused(DeployedVersion version, Core.Wire.InvokeError error) =>
        _metrics.Invocation(version.Function, version.Version, error, 0, 0, dispatched: false);

    /// <summary>Counts one call of a plan under its own name (its steps' calls are counted as they are made).</summary>
    public void Record(DeployedVersion plan, PlanOutcome outcome)
    {
        _stats.Record(plan.Function, outcome.DurationMs);
        _metrics.PlanCall(plan.Function, plan.Version, outcome.Error, outcome.DurationMs, outcome.Steps.Select(s => (s.Step, s.DurationMs)));
    }
}
