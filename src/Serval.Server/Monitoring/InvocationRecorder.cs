using Serval.Core.Wire;
using Serval.Node.Instances;
using Serval.Server.Dispatch;
using Serval.Server.Functions;

namespace Serval.Server.Monitoring;

/// <summary>
/// Where the platform's events become figures: every answered invocation (the <c>/monitor</c> window
/// and the <c>serval_invocations_*</c> series), every cold start, every wait in a queue.
/// </summary>
public sealed class InvocationRecorder
{
    private readonly FunctionStats _stats;
    private readonly Metrics _metrics;

    /// <summary>Subscribes to the supervisor's and the dispatcher's events.</summary>
    public InvocationRecorder(FunctionStats stats, Metrics metrics, InstanceSupervisor supervisor, Dispatcher dispatcher)
    {
        _stats = stats;
        _metrics = metrics;
        supervisor.InstanceReady += instance =>
        {
            if (instance.Id.StartsWith("check-", StringComparison.Ordinal))
            {
                return;
            }

            string labels = Metrics.Labels(instance.Config.Function, instance.Config.Version);
            metrics.Count("serval_cold_starts_total", "Instances started (each a cold start).", labels);
            metrics.Observe("serval_cold_start_seconds", "Time from an instance being needed to ready.", labels, instance.ColdStartMs / 1000, Metrics.ColdStartBuckets);
        };
        dispatcher.Queued += (function, version, ms) =>
            metrics.Observe("serval_queue_seconds", "Time invocations waited for a free instance slot.", Metrics.Labels(function, version), ms / 1000, Metrics.LatencyBuckets);
    }

    /// <summary>Counts one answered invocation.</summary>
    public void Record(DeployedVersion version, in InvocationResult result)
    {
        _stats.Record(version.Function, result.DurationMs);
        int status = result.Outcome.Error is { } error ? (int)error.Kind : 200;
        _metrics.Count("serval_invocations_total", "Invocations answered, by status code.", Metrics.Labels(version.Function, version.Version, ("code", status.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        if (result.InstanceId.Length > 0)
        {
            _metrics.Observe("serval_invocation_seconds", "Time invocations spent in an instance.", Metrics.Labels(version.Function, version.Version), result.DurationMs / 1000, Metrics.LatencyBuckets);
        }
    }
}
