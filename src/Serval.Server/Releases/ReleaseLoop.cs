using Serval.Core.Scheduling;
using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Serval.Core.Releases;
using Serval.Core.Specs;
using Serval.Server.Functions;

namespace Serval.Server.Releases;

/// <summary>
/// The release controller's loop: every tick, for every running release, ask the
/// <see cref="ReleasePolicy"/> what to do with what both versions answered since the step began, and
/// hand anything but "wait" to the <see cref="ReleaseController"/>. No arithmetic here;
/// <see cref="TickAsync"/> is one step, so tests drive it with a fake clock.
/// </summary>
public sealed partial class ReleaseLoop(
    FunctionCatalog catalog,
    ReleaseController controller,
    ReleaseWindows windows,
    ReleaseOptions options,
    TimeProvider time,
    ILogger<ReleaseLoop> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, ReleaseDecision> _last = new(StringComparer.Ordinal);

    /// <summary>The last decision about <paramref name="function"/>'s running release, or null.</summary>
    public ReleaseDecision? LastDecision(string function) => _last.GetValueOrDefault(function);

    /// <summary>One step over every running release.</summary>
    public async Task TickAsync(CancellationToken cancellationToken = default)
    {
        foreach (DeployedFunction function in catalog.Functions.Values)
        {
            string name = function.Record.Name;
            if (function.Running is not { } running || function.Find(running.To) is not { } canary)
            {
                _last.TryRemove(name, out _);
                continue;
            }

            // After a restart the step's counts start again from zero: the step holds until enough arrive.
            windows.EnsureWatched(name, running.From);
            windows.EnsureWatched(name, running.To);
            ReleaseDecision decision = ReleasePolicy.Decide(canary.Spec.Release ?? new ReleaseSpec(), ReleaseController.Progress(running),
                windows.Observe(name, running.From), windows.Observe(name, running.To), time.GetUtcNow());
            _last[name] = decision;
            if (decision.Action != ReleaseAction.Wait)
            {
                await controller.ApplyAsync(name, running.Id, decision, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Periodic.RunAsync(options.Tick, time, TickAsync, LogTickFailed, stoppingToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "a release tick failed")]
    private partial void LogTickFailed(Exception e);
}
