using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Hosting;
using Serval.Core.Scheduling;
using Serval.Core.Specs;
using Serval.Server.Async;
using Serval.Server.Functions;
using Serval.Server.Monitoring;
using Serval.Server.Scaling;

namespace Serval.Server.Triggers;

/// <summary>One trigger as the API shows it: its cron, payload, last fire and next fire.</summary>
/// <param name="Index">Its index in <c>triggers</c>.</param>
/// <param name="Cron">The cron as written.</param>
/// <param name="TimeZone">The zone it is read in.</param>
/// <param name="Payload">The JSON body it sends.</param>
/// <param name="LastFire">Its last fire, or null.</param>
/// <param name="NextFire">When it fires next (now, when a fire is due and not yet submitted); null when never again.</param>
public sealed record TriggerState(int Index, string Cron, string TimeZone, string Payload, TriggerFire? LastFire, DateTimeOffset? NextFire);

/// <summary>
/// Fires the <c>triggers</c> of every function's latest version: each tick asks the
/// <see cref="TriggerPlanner"/> what is due and submits it as an asynchronous invocation (source
/// <c>trigger</c>), with an idempotency key made of the trigger's index and scheduled time, so a
/// restart, or a second platform on the same store, never fires one time twice. The last fires are
/// stored with the invocations; after downtime a trigger fires once, for its latest missed time.
/// <see cref="TickAsync"/> is one step of the loop.
/// </summary>
public sealed partial class TriggerScheduler(
    FunctionCatalog catalog, AsyncInvocations invocations, IInvocationStore store, Metrics metrics, TimeProvider time, ILogger<TriggerScheduler> log) : BackgroundService
{
    /// <summary>How often due triggers are looked for: a fire is submitted within a second of its time.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<(string Function, int Trigger), TriggerFire> _fires = new();
    private bool _loaded;

    /// <summary>One step: submit every fire that is due; returns how many were submitted.</summary>
    public async Task<int> TickAsync()
    {
        if (!_loaded)
        {
            foreach (TriggerFire fire in await store.TriggerFiresAsync().ConfigureAwait(false))
            {
                _fires[(fire.Function, fire.Trigger)] = fire;
            }

            _loaded = true;
        }

        int fired = 0;
        DateTimeOffset now = time.GetUtcNow();
        foreach (DeployedFunction function in catalog.Functions.Values)
        {
            // The serving version's triggers fire (after a rollback, not those of the newer version left behind).
            DeployedVersion latest = function.Stable;
            IReadOnlyList<TriggerSpec> triggers = latest.Spec.Triggers;
            if (triggers.Count == 0)
            {
                continue;
            }

            TimeZoneInfo zone = ScalingLoop.Zone(latest.Spec);
            for (int i = 0; i < triggers.Count; i++)
            {
                TriggerPlan plan = Plan(latest, i, zone, now);
                if (plan.Fire is { } at)
                {
                    await FireAsync(latest, i, at, plan.Missed, now).ConfigureAwait(false);
                    fired++;
                }
            }
        }

        return fired;
    }

    /// <summary>The triggers of <paramref name="version"/> with their last and next fires.</summary>
    public IReadOnlyList<TriggerState> States(DeployedVersion version)
    {
        DateTimeOffset now = time.GetUtcNow();
        TimeZoneInfo zone = ScalingLoop.Zone(version.Spec);
        var states = new TriggerState[version.Spec.Triggers.Count];
        for (int i = 0; i < states.Length; i++)
        {
            TriggerSpec trigger = version.Spec.Triggers[i];
            TriggerPlan plan = Plan(version, i, zone, now);
            states[i] = new TriggerState(i, trigger.Cron.Text, zone.Id, trigger.Payload, _fires.GetValueOrDefault((version.Function, i)), plan.Fire is null ? plan.Next : now);
        }

        return states;
    }

    /// <summary>A trigger counts from its last fire, or from when the version that defines it was deployed.</summary>
    private TriggerPlan Plan(DeployedVersion version, int index, TimeZoneInfo zone, DateTimeOffset now) =>
        TriggerPlanner.Plan(version.Spec.Triggers[index].Cron.In(zone), _fires.GetValueOrDefault((version.Function, index))?.Scheduled, version.Record.Created, now);

    private async Task FireAsync(DeployedVersion version, int index, DateTimeOffset at, int missed, DateTimeOffset now)
    {
        string key = string.Create(CultureInfo.InvariantCulture, $"trigger-{index}-{at.ToUnixTimeSeconds()}");
        var request = StoredRequest.Raw("application/json", Encoding.UTF8.GetBytes(version.Spec.Triggers[index].Payload));
        SubmitResult result = await invocations.SubmitAsync(new AsyncSubmission(version, request) { Source = "trigger", IdempotencyKey = key }).ConfigureAwait(false);
        if (result.Error is { } refused)
        {
            // Recorded all the same: a refusal would repeat every second otherwise. A 422 means the
            // time was fired already, by an earlier version with another payload.
            LogRefused(version.Function, index, at, refused.Message);
        }
        else if (!result.Replayed)
        {
            metrics.TriggerFired(version.Function, version.Version);
            LogFired(version.Function, index, at, result.Id, missed);
        }

        var fire = new TriggerFire(version.Function, index, at, result.Id, now);
        await store.RecordFireAsync(fire).ConfigureAwait(false);
        _fires[(version.Function, index)] = fire;
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick, time);
        do
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
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "trigger {Index} of {Function} fired for {At:O}: invocation {Id} ({Missed} earlier times missed, not run)")]
    private partial void LogFired(string function, int index, DateTimeOffset at, string id, int missed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "trigger {Index} of {Function} for {At:O} was refused: {Reason}")]
    private partial void LogRefused(string function, int index, DateTimeOffset at, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "a trigger tick failed")]
    private partial void LogTickFailed(Exception e);
}
