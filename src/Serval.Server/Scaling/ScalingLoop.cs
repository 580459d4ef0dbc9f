using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Serval.Core.Autoscaling;
using Serval.Core.Scheduling;
using Serval.Core.Specs;
using Serval.Node.Instances;
using Serval.Server.Dispatch;
using Serval.Server.Functions;

namespace Serval.Server.Scaling;

/// <summary>
/// The controller's loop: every tick, for every version with a pool (and every serving version with
/// a minimum), ask the <see cref="Autoscaler"/> how many instances it should have and tell the pool.
/// The loop holds no arithmetic: the policy decides, the pool acts. <see cref="TickAsync"/> is one
/// step, so tests drive it with a fake clock.
/// </summary>
public sealed partial class ScalingLoop(
    FunctionCatalog catalog,
    Dispatcher dispatcher,
    InstanceSupervisor supervisor,
    AutoscalerOptions options,
    ScalingLoopOptions loopOptions,
    TimeProvider time,
    ILogger<ScalingLoop> logger) : BackgroundService
{
    private readonly Autoscaler _autoscaler = new(options);
    private readonly ConcurrentDictionary<VersionPool, ScaleDecision> _previous = new();

    /// <summary>The last decision per pool (for <c>/v1/.../instances</c> and metrics).</summary>
    public ScaleDecision? LastDecision(VersionPool pool) => _previous.GetValueOrDefault(pool);

    /// <summary>One step: health watch, then a decision per pool.</summary>
    public Task TickAsync()
    {
        DateTimeOffset now = time.GetUtcNow();
        supervisor.CheckHealth();
        var functions = catalog.Functions;
        var minimums = new Dictionary<string, int>(functions.Count, StringComparer.Ordinal);
        static string Key(DeployedVersion v) => $"{v.Function}/{v.Version}";
        foreach (DeployedFunction function in functions.Values)
        {
            // Provisioned instances exist before any request: make the serving versions' pools.
            // A plan has no instances: its steps' functions scale with the load it sends them.
            foreach (DeployedVersion serving in function.Canary is { } canary ? [function.Stable, canary] : new[] { function.Stable })
            {
                int min = minimums[Key(serving)] = serving.Spec.Runtime == RuntimeKind.Plan ? 0 : Minimum(serving, now).Min;
                if (min > 0)
                {
                    dispatcher.Pool(serving);
                }
            }
        }

        foreach (VersionPool pool in dispatcher.Pools.ToList())
        {
            DeployedVersion version = pool.Version;
            bool routed = functions.TryGetValue(version.Function, out DeployedFunction? function) && function.Serves(version.Version);
            // A release's reservation keeps the instances it readied until traffic reaches them.
            int min = Math.Max(routed ? minimums.GetValueOrDefault(Key(version)) : 0, pool.Reserved(now));
            PoolSnapshot snapshot = pool.Snapshot(options);
            InstancesSpec instances = version.Spec.Instances with { Min = Math.Min(min, version.Spec.Instances.Max) };
            ScaleDecision decision = _autoscaler.Decide(new AutoscalerInput
            {
                Now = now,
                Observed = snapshot.Observed,
                Ready = snapshot.Ready,
                Starting = snapshot.Starting,
                Instances = instances,
                LastRequestAt = snapshot.LastRequest,
                IdleInstances = snapshot.IdleInstances,
                NodeCapacity = supervisor.Capacity.Room(version.Spec.Resources.Cpu, version.Spec.Resources.MemoryMb, version.Spec.Resources.Gpu),
                Previous = _previous.GetValueOrDefault(pool),
            });
            _previous[pool] = decision;
            if (decision.DesiredInstances != snapshot.Ready + snapshot.Starting)
            {
                LogDecision(version.Function, version.Version, snapshot.Ready + snapshot.Starting, decision.DesiredInstances, decision.Reason);
            }

            int desired = decision.DesiredInstances;
            string reason = decision.Reason;
            if (!routed && pool.Retiring(now))
            {
                // Traffic moved to another version: drain all (each stop waits for its in-flight calls).
                (desired, reason) = (min, $"v{version.Version} no longer serves {version.Function}: drained after the switch");
            }

            pool.ScaleTo(desired, instances.Min, reason);
            if (!routed && pool.IsEmpty)
            {
                dispatcher.Forget(pool);
                _previous.TryRemove(pool, out _);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>The minimum of <paramref name="version"/> at <paramref name="now"/>: its schedule's, else <c>instances.min</c>.</summary>
    public static EffectiveMinimum Minimum(DeployedVersion version, DateTimeOffset now)
    {
        FunctionSpec spec = version.Spec;
        return ScheduledMinimum.At(spec.Schedule, Zone(spec), spec.Instances.Min, now);
    }

    /// <summary>The time zone of <paramref name="spec"/>'s schedule (validated at deploy).</summary>
    public static TimeZoneInfo Zone(FunctionSpec spec) =>
        spec.TimeZone == "UTC" ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(spec.TimeZone);

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(loopOptions.Tick, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await TickAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogTickFailed(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "scale {Function} v{Version}: {From} → {To} ({Reason})")]
    private partial void LogDecision(string function, int version, int from, int to, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "a scaling tick failed")]
    private partial void LogTickFailed(Exception e);
}

/// <summary>Settings of the scaling loop.</summary>
public sealed record ScalingLoopOptions
{
    /// <summary>
    /// Time between decisions. 500 ms: the panic window is 2 s, so a burst is seen within a quarter
    /// of it; a tick costs microseconds per version.
    /// </summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(500);
}
