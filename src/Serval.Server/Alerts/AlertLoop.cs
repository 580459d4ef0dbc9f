using Serval.Core.Scheduling;
using Microsoft.Extensions.Hosting;
using Serval.Core.Alerts;

namespace Serval.Server.Alerts;

/// <summary>
/// Every <see cref="AlertConfig.Interval"/>: measure (<see cref="AlertObserver"/>), judge
/// (<see cref="AlertPolicy"/>, pure), announce the changes (<see cref="AlertNotifier"/>) and keep the
/// alerts for <c>GET /v1/alerts</c>. No arithmetic here; <see cref="TickAsync"/> is one step.
/// </summary>
public sealed partial class AlertLoop(AlertConfig config, AlertObserver observer, AlertNotifier notifier, TimeProvider time, ILogger<AlertLoop> log) : BackgroundService
{
    private readonly object _gate = new();
    private readonly LinkedList<AlertEvent> _recent = new();
    private IReadOnlyList<ActiveAlert> _active = [];

    /// <summary>The pending and firing alerts, and the resolved ones newest first (at most <see cref="AlertConfig.Recent"/>).</summary>
    public (IReadOnlyList<AlertEvent> Active, IReadOnlyList<AlertEvent> Recent) Snapshot()
    {
        lock (_gate)
        {
            return ([.. _active.Select(a => AlertEvent.Of(a, config.Rule(a.Rule)))], [.. _recent]);
        }
    }

    /// <summary>One evaluation.</summary>
    public async Task TickAsync()
    {
        DateTimeOffset now = time.GetUtcNow();
        IReadOnlyList<AlertReading> readings = await observer.ReadAsync(config.Rules, now).ConfigureAwait(false);
        IReadOnlyList<ActiveAlert> previous;
        lock (_gate)
        {
            previous = _active;
        }

        AlertEvaluation evaluation = AlertPolicy.Evaluate(config.Rules, readings, previous, now);
        lock (_gate)
        {
            _active = evaluation.Active;
            foreach (AlertTransition t in evaluation.Transitions.Where(t => t.Alert.Status == AlertStatus.Resolved))
            {
                _recent.AddFirst(AlertEvent.Of(t.Alert, t.Rule));
                if (_recent.Count > config.Recent)
                {
                    _recent.RemoveLast();
                }
            }
        }

        foreach (AlertTransition t in evaluation.Transitions)
        {
            AlertEvent alert = AlertEvent.Of(t.Alert, t.Rule);
            LogTransition(alert.Status, alert.Rule, alert.Function, alert.Summary);
            notifier.Send(alert);
        }
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Periodic.RunAsync(config.Interval, time, _ => TickAsync(), LogTickFailed, stoppingToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "alert {Status}: {Rule} on {Function}: {Summary}")]
    private partial void LogTransition(string status, string rule, string function, string summary);

    [LoggerMessage(Level = LogLevel.Error, Message = "an alert evaluation failed")]
    private partial void LogTickFailed(Exception e);
}
