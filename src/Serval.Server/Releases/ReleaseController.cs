using Serval.Core.Releases;
using Serval.Core.Specs;
using Serval.Node.Instances;
using Serval.Server.Dispatch;
using Serval.Server.Functions;

namespace Serval.Server.Releases;

/// <summary>A release change, or why it was refused (a value: 400 or 404 for the caller).</summary>
/// <param name="Release">The release as it stands after the change.</param>
/// <param name="Error">Why nothing changed, or null.</param>
/// <param name="Status">The status code of a refusal.</param>
public sealed record ReleaseOutcome(ReleaseRecord? Release, string? Error = null, int Status = 400);

/// <summary>
/// Moves a function's serving alias: after a deploy (at once, or by starting a progressive release),
/// on the <see cref="ReleaseLoop"/>'s decisions, and on a person's promote or rollback. Every move
/// loads before it unloads: the version that gains traffic has its instances ready first, traffic
/// moves in one atomic catalog swap, and the version that lost it drains after a grace. One change
/// at a time (a lock around the state alone; the decisions are <see cref="ReleasePolicy"/>'s).
/// </summary>
public sealed partial class ReleaseController(
    FunctionCatalog catalog,
    Dispatcher dispatcher,
    InstanceSupervisor supervisor,
    ReleaseWindows windows,
    ReleaseOptions options,
    TimeProvider time,
    ILogger<ReleaseController> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>
    /// After a deploy recorded <paramref name="deployed"/>: with <c>release:</c>, start a release to it
    /// from the serving version; without, switch to it at once once its instances are ready. A
    /// release still running is superseded. Null for a function's first version (it serves at once).
    /// </summary>
    public async Task<ReleaseRecord?> DeployedAsync(DeployedVersion deployed, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            DeployedFunction function = catalog.Functions[deployed.Function];
            if (function.Stable.Version == deployed.Version)
            {
                return null;
            }

            int from = function.Stable.Version;
            if (function.Running is { } running)
            {
                await SaveAsync(Ended(running, ReleaseState.Superseded).With(Event("supersede", 0,
                    $"v{deployed.Version} was deployed while it ran: v{running.From} serves until v{deployed.Version} takes over")), null).ConfigureAwait(false);
            }

            int id = NextId(deployed.Function);
            ReleaseSpec? spec = deployed.Spec.Release;
            if (deployed.Spec.Runtime == RuntimeKind.Plan || spec is null || spec.Steps[0] >= 100)
            {
                string why = deployed.Spec.Runtime == RuntimeKind.Plan ? "a plan switches at once"
                    : spec is null ? "no release in the template: switched at once" : "the release's first step is 100 %: switched at once";
                return await SwitchAsync(id, ReleaseKind.Update, from, deployed, why, cancellationToken).ConfigureAwait(false);
            }

            return await StartAsync(id, from, deployed, spec, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Carries out the loop's <paramref name="decision"/> for release <paramref name="id"/>, if it still runs.</summary>
    public async Task<ReleaseRecord?> ApplyAsync(string function, int id, ReleaseDecision decision, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return catalog.Functions.GetValueOrDefault(function)?.Running is { } running && running.Id == id
                ? await ApplyLockedAsync(running, decision, cancellationToken).ConfigureAwait(false)
                : null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Promotes the running release of <paramref name="function"/> now.</summary>
    public Task<ReleaseOutcome> PromoteAsync(string function, CancellationToken cancellationToken) =>
        CommandAsync(function, ReleaseCommand.Promote, null, cancellationToken);

    /// <summary>
    /// Rolls <paramref name="function"/> back one step, at once: a running release to the version it
    /// started from; otherwise the serving version to the one that served before it, or to
    /// <paramref name="to"/>.
    /// </summary>
    public Task<ReleaseOutcome> RollbackAsync(string function, int? to, CancellationToken cancellationToken) =>
        CommandAsync(function, ReleaseCommand.RollBack, to, cancellationToken);

    private async Task<ReleaseOutcome> CommandAsync(string name, ReleaseCommand command, int? to, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!catalog.Functions.TryGetValue(name, out DeployedFunction? function))
            {
                return new ReleaseOutcome(null, $"no function named '{name}'", 404);
            }

            if (function.Running is { } running && function.Find(running.To) is { } canary)
            {
                if (command == ReleaseCommand.RollBack && to is { } target && target != running.From)
                {
                    return new ReleaseOutcome(null, $"the running release of {name} rolls back to v{running.From}, the version serving before it, not v{target}; roll back first, then 'rollback --to {target}'");
                }

                ReleaseDecision decision = ReleasePolicy.Decide(canary.Spec.Release ?? new ReleaseSpec(), Progress(running),
                    windows.Observe(name, running.From), windows.Observe(name, running.To), time.GetUtcNow(), command);
                return new ReleaseOutcome(await ApplyLockedAsync(running, decision, cancellationToken).ConfigureAwait(false));
            }

            if (command == ReleaseCommand.Promote)
            {
                return new ReleaseOutcome(null, $"no release of {name} is running: v{function.Stable.Version} serves everyone; deploy a version with 'release:' to start one");
            }

            int stable = function.Stable.Version;
            int? previous = to ?? function.Releases.LastOrDefault(r => r.State == ReleaseState.Promoted && r.To == stable)?.From;
            if (previous is not { } version)
            {
                return new ReleaseOutcome(null, $"{name} has no earlier serving version to roll back to: name one with 'to' (versions: {string.Join(", ", function.Versions.Select(v => v.Version))})");
            }

            if (function.Find(version) is not { } back)
            {
                return new ReleaseOutcome(null, $"{name} has no version {version} (versions: {string.Join(", ", function.Versions.Select(v => v.Version))})", 404);
            }

            if (version == stable)
            {
                return new ReleaseOutcome(null, $"v{version} already serves {name}");
            }

            return new ReleaseOutcome(await SwitchAsync(NextId(name), ReleaseKind.Rollback, stable, back, $"rolled back by hand from v{stable} to v{version}", cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<ReleaseRecord> ApplyLockedAsync(ReleaseRecord running, ReleaseDecision decision, CancellationToken cancellationToken)
    {
        DeployedFunction function = catalog.Functions[running.Function];
        DeployedVersion from = function.Find(running.From)!, to = function.Find(running.To)!;
        switch (decision.Action)
        {
            case ReleaseAction.Hold when running.History.Count == 0 || running.History[^1].Action != "hold":
                return await SaveAsync(running.With(Event("hold", running.Percent, decision.Reason)), null).ConfigureAwait(false);
            case ReleaseAction.Advance:
            {
                // Instances for the larger share first; if they cannot all start, the autoscaler adds them under load.
                await WarmAsync(to, Share(to, decision.Percent), cancellationToken).ConfigureAwait(false);
                ReleaseRecord advanced = await SaveAsync((running with { Step = decision.Step, StepStarted = time.GetUtcNow() })
                    .With(Event("advance", decision.Percent, decision.Reason)), null).ConfigureAwait(false);
                windows.Watch(running.Function, running.From);
                windows.Watch(running.Function, running.To);
                return advanced;
            }

            case ReleaseAction.Promote:
            {
                await WarmAsync(to, Share(to, 100), cancellationToken).ConfigureAwait(false);
                ReleaseRecord promoted = await SaveAsync(Ended(running with { Step = decision.Step }, ReleaseState.Promoted)
                    .With(Event("promote", 100, decision.Reason)), to.Version).ConfigureAwait(false);
                RetireOthers(running.Function);
                windows.Forget(running.Function);
                return promoted;
            }

            case ReleaseAction.RollBack:
            {
                // A failing new version goes at once; otherwise the old one is readied for all traffic first.
                if (!decision.Urgent)
                {
                    await WarmAsync(from, Share(from, 100), cancellationToken).ConfigureAwait(false);
                }

                ReleaseRecord rolledBack = await SaveAsync(Ended(running, ReleaseState.RolledBack)
                    .With(Event("rollback", 0, decision.Reason)), from.Version).ConfigureAwait(false);
                RetireOthers(running.Function);
                windows.Forget(running.Function);
                return rolledBack;
            }

            default:
                return running;
        }
    }

    /// <summary>Everything to <paramref name="to"/> at once, after its instances are ready.</summary>
    private async Task<ReleaseRecord> SwitchAsync(int id, ReleaseKind kind, int from, DeployedVersion to, string why, CancellationToken cancellationToken)
    {
        int wanted = to.Spec.Runtime == RuntimeKind.Plan ? 0 : Share(to, 100);
        var (ready, problem) = await WarmAsync(to, wanted, cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = time.GetUtcNow();
        var record = new ReleaseRecord
        {
            Function = to.Function, Id = id, Kind = kind, From = from, To = to.Version, State = ReleaseState.Promoted,
            Started = now, StepStarted = now, Ended = now,
        };
        if (wanted > 0 && ready == 0)
        {
            dispatcher.Pool(to).Retire(now);
            return await SaveAsync((record with { State = ReleaseState.Failed })
                .With(Event("fail", 0, $"v{to.Version}'s instances did not become ready ({problem}): v{from} serves on")), null).ConfigureAwait(false);
        }

        string readied = wanted == 0 ? "" : $"; {ready} of {wanted} instances of v{to.Version} ready first{(problem is null ? "" : $" ({problem})")}";
        ReleaseRecord switched = await SaveAsync(record.With(Event("switch", 100, why + readied)), to.Version).ConfigureAwait(false);
        RetireOthers(to.Function);
        windows.Forget(to.Function);
        return switched;
    }

    private async Task<ReleaseRecord> StartAsync(int id, int from, DeployedVersion to, ReleaseSpec spec, CancellationToken cancellationToken)
    {
        int percent = spec.Steps[0];
        var (ready, problem) = await WarmAsync(to, Share(to, percent), cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = time.GetUtcNow();
        var record = new ReleaseRecord
        {
            Function = to.Function, Id = id, Kind = ReleaseKind.Progressive, From = from, To = to.Version, State = ReleaseState.Running,
            Started = now, StepStarted = now,
        };
        if (Share(to, percent) > 0 && ready == 0)
        {
            dispatcher.Pool(to).Retire(now);
            return await SaveAsync(Ended(record, ReleaseState.Failed)
                .With(Event("fail", 0, $"v{to.Version}'s instances did not become ready ({problem}): v{from} serves on")), null).ConfigureAwait(false);
        }

        windows.Watch(to.Function, from);
        windows.Watch(to.Function, to.Version);
        string who = spec.Bids.Count == 0 ? "callers" : $"callers of {string.Join(", ", spec.Bids)}";
        ReleaseRecord started = await SaveAsync(record.With(Event("start", percent,
            $"v{from} → v{to.Version} in steps of {string.Join(" → ", spec.Steps)} %, {SpecUnits.FormatDuration(spec.Interval)} each: {percent} % of {who} first")), from).ConfigureAwait(false);
        RetireOthers(to.Function);
        return started;
    }

    /// <summary>
    /// Readies <paramref name="count"/> instances of <paramref name="version"/> (as many as the node
    /// has room for), waiting at most <see cref="ReleaseOptions.WarmTimeout"/>: how many are ready, and
    /// what kept the rest.
    /// </summary>
    private async Task<(int Ready, string? Problem)> WarmAsync(DeployedVersion version, int count, CancellationToken cancellationToken)
    {
        if (count <= 0)
        {
            return (0, null);
        }

        VersionPool pool = dispatcher.Pool(version);
        PoolSnapshot now = pool.Peek();
        int room = supervisor.Capacity.Room(version.Spec.Resources.Cpu, version.Spec.Resources.MemoryMb, version.Spec.Resources.Gpu);
        int target = Math.Min(count, now.Ready + now.Starting + room);
        if (target <= 0)
        {
            return (0, $"no room on the node for an instance of v{version.Version} beside those serving");
        }

        DateTimeOffset deadline = time.GetUtcNow() + options.WarmTimeout;
        while (true)
        {
            pool.Reserve(target, time.GetUtcNow() + options.WarmHold);
            PoolSnapshot snapshot = pool.Peek();
            if (snapshot.Ready >= target)
            {
                return (snapshot.Ready, target < count ? $"room for {target} of {count}" : null);
            }

            if (time.GetUtcNow() >= deadline)
            {
                return (snapshot.Ready, $"{snapshot.Ready} of {target} ready after {SpecUnits.FormatDuration(options.WarmTimeout)}{(pool.StartError is { } error ? $": {error}" : "")}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Instances <paramref name="version"/> needs for <paramref name="percent"/> of what serves its function now.</summary>
    private int Share(DeployedVersion version, int percent)
    {
        DeployedFunction function = catalog.Functions[version.Function];
        int serving = 0;
        foreach (VersionPool pool in dispatcher.Pools)
        {
            if (pool.Version.Function == version.Function && function.Serves(pool.Version.Version))
            {
                PoolSnapshot snapshot = pool.Peek();
                serving += snapshot.Ready + snapshot.Starting;
            }
        }

        return WarmCount.For(serving, percent, version.Spec.Instances.Min, version.Spec.Instances.Max);
    }

    /// <summary>Drains, after the grace, every pool of the function that no longer takes traffic through the serving alias.</summary>
    private void RetireOthers(string name)
    {
        DeployedFunction function = catalog.Functions[name];
        DateTimeOffset at = time.GetUtcNow() + options.DrainGrace;
        foreach (VersionPool pool in dispatcher.Pools)
        {
            if (pool.Version.Function == name && !function.Serves(pool.Version.Version))
            {
                pool.Retire(at);
            }
        }
    }

    private async Task<ReleaseRecord> SaveAsync(ReleaseRecord record, int? serving)
    {
        await catalog.ChangeAsync(async store =>
        {
            await store.SaveReleaseAsync(record, serving, CancellationToken.None).ConfigureAwait(false);
            return 0;
        }, CancellationToken.None).ConfigureAwait(false);
        LogRelease(record.Function, record.Id, record.State, record.Percent, record.Reason);
        return record;
    }

    private int NextId(string function) =>
        catalog.Functions.TryGetValue(function, out DeployedFunction? f) && f.Releases.Count > 0 ? f.Releases[^1].Id + 1 : 1;

    private ReleaseRecord Ended(ReleaseRecord record, ReleaseState state) => record with { State = state, Ended = time.GetUtcNow() };

    private ReleaseEvent Event(string action, int percent, string reason) => new(time.GetUtcNow(), action, percent, reason);

    /// <summary>Where <paramref name="release"/> stands, as the policy reads it.</summary>
    public static ReleaseProgress Progress(ReleaseRecord release) => new(release.From, release.To, release.Step, release.StepStarted);

    [LoggerMessage(Level = LogLevel.Information, Message = "release {Function} #{Id}: {State} at {Percent} % ({Reason})")]
    private partial void LogRelease(string function, int id, ReleaseState state, int percent, string reason);
}
