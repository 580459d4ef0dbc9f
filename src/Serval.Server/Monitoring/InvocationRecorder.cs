using Serval.Core.Wire;
using Serval.Node.Instances;
using Serval.Server.Dispatch;
using Serval.Server.Functions;
using Serval.Server.Monitoring.Logs;
using Serval.Server.Plans;

namespace Serval.Server.Monitoring;

/// <summary>
/// Where the platform's events become figures and records: every answered invocation and plan call
/// (the <c>/monitor</c> window, the <c>serval_invocations_*</c>, duration and billed series, and a
/// record in the function's log), every cold start, every line a handler writes.
/// </summary>
public sealed class InvocationRecorder
{
    private readonly FunctionStats _stats;
    private readonly Metrics _metrics;
    private readonly FunctionLogs? _logs;
    private readonly Billing.CostLedger? _ledger;
    private readonly TimeProvider _time;
    private readonly Releases.ReleaseWindows? _windows;
    private readonly string _node = Environment.MachineName;

    /// <summary>Subscribes to the supervisor's events.</summary>
    public InvocationRecorder(FunctionStats stats, Metrics metrics, InstanceSupervisor supervisor, FunctionLogs? logs = null, TimeProvider? time = null, Releases.ReleaseWindows? windows = null, Billing.CostLedger? ledger = null)
    {
        _windows = windows;
        _stats = stats;
        _metrics = metrics;
        _logs = logs;
        _ledger = ledger;
        _time = time ?? TimeProvider.System;
        supervisor.InstanceReady += instance =>
        {
            if (!instance.Id.StartsWith("check-", StringComparison.Ordinal))
            {
                metrics.ColdStart(instance.Config.Function, instance.Config.Version, instance.ColdStartMs / 1000);
            }
        };
        if (logs is not null)
        {
            supervisor.InstanceOutput += (instance, line) =>
            {
                if (!instance.Id.StartsWith("check-", StringComparison.Ordinal))
                {
                    logs.Append(new LogRecord { Time = _time.GetUtcNow(), Kind = "log", Function = instance.Config.Function, Version = instance.Config.Version, Instance = instance.Id, Line = line });
                }
            };
        }
    }

    /// <summary>Counts one answered invocation, <paramref name="requestId"/> its id.</summary>
    public void Record(DeployedVersion version, in InvocationResult result, string requestId)
    {
        _stats.Record(version.Function, result.DurationMs);
        _metrics.Invocation(version.Function, version.Version, result.Outcome.Error, result.QueueMs, result.DurationMs, dispatched: result.InstanceId.Length > 0 || result.QueueMs > 0);
        _windows?.Record(version.Function, version.Version, result.Outcome.Error, result.QueueMs + result.DurationMs);
        if (result.InstanceId.Length > 0)
        {
            // Billed like X-Serval-Billed-Ms: the time in the instance in whole milliseconds, rounded up.
            _ledger?.Invocation(version, (long)Math.Ceiling(result.DurationMs), result.Provisioned);
        }

        if (_logs is not null)
        {
            DateTimeOffset now = _time.GetUtcNow();
            _logs.Append(new LogRecord
            {
                Time = now,
                Function = version.Function,
                Version = version.Version,
                Instance = result.InstanceId,
                Node = _node,
                Id = requestId,
                Start = now - TimeSpan.FromMilliseconds(result.QueueMs + result.DurationMs),
                DurationMs = Math.Round(result.DurationMs, 3),
                BilledMs = (long)Math.Ceiling(result.DurationMs),
                MemoryMb = Math.Round(result.MemoryMb, 1),
                Cold = result.ColdStart,
                Status = result.Outcome.Error is { } error ? (int)error.Kind : 200,
                Error = result.Outcome.Error?.Message,
            });
        }
    }

    /// <summary>Counts a request refused before dispatch (its input was wrong).</summary>
    public void Refused(DeployedVersion version, InvokeError error) =>
        _metrics.Invocation(version.Function, version.Version, error, 0, 0, dispatched: false);

    /// <summary>Counts one call of a plan under its own name (its steps' calls are counted as they are made).</summary>
    public void Record(DeployedVersion plan, PlanOutcome outcome)
    {
        _stats.Record(plan.Function, outcome.DurationMs);
        _metrics.PlanCall(plan.Function, plan.Version, outcome.Error, outcome.DurationMs, outcome.Steps.Select(s => (s.Step, s.DurationMs)));
    }
}
