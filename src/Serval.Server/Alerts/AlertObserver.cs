using Serval.Core.Alerts;
using Serval.Server.Async;
using Serval.Server.Monitoring;
using Serval.Server.Monitoring.Logs;

namespace Serval.Server.Alerts;

/// <summary>
/// Measures what the rules watch, per function: error rate, p99 and cold-start rate from the
/// invocation records in <c>logs.db</c> (the same records <c>./serval logs</c> shows), the oldest
/// queued asynchronous invocation's age from the store, and failed asynchronous invocations from the
/// <c>serval_async_invocations_total</c> counter's increase over the window (samples of it are kept
/// here, one per evaluation). Does no judging: <see cref="AlertPolicy"/> does.
/// </summary>
public sealed class AlertObserver(FunctionLogs logs, IInvocationStore store, Metrics metrics)
{
    private readonly List<(DateTimeOffset At, IReadOnlyDictionary<string, double> Totals)> _failures = [];

    /// <summary>The readings of every rule for every function with something to measure, at <paramref name="now"/>.</summary>
    public async Task<IReadOnlyList<AlertReading>> ReadAsync(IReadOnlyList<AlertRule> rules, DateTimeOffset now)
    {
        var readings = new List<AlertReading>();
        var windows = new Dictionary<TimeSpan, IReadOnlyList<WindowStats>>();
        IReadOnlyList<AsyncBacklog>? backlog = null;
        IReadOnlyDictionary<string, double> failures = SampleFailures(rules, now);
        foreach (AlertRule rule in rules)
        {
            DateTimeOffset since = now - rule.Window;
            switch (rule.Signal)
            {
                case AlertSignal.ErrorRate or AlertSignal.ColdStartRate or AlertSignal.P99:
                    if (!windows.TryGetValue(rule.Window, out IReadOnlyList<WindowStats>? stats))
                    {
                        windows[rule.Window] = stats = logs.Summaries(since);
                    }

                    foreach (WindowStats s in stats)
                    {
                        if (!rule.Functions.Matches(s.Function) || s.Requests == 0)
                        {
                            continue;
                        }

                        double? value = rule.Signal switch
                        {
                            AlertSignal.ErrorRate => (double)s.Errors / s.Requests,
                            AlertSignal.ColdStartRate => (double)s.Cold / s.Requests,
                            // A percentile is read only where it may be judged (it sorts the window's records).
                            _ => s.Requests >= rule.MinRequests ? logs.RequestQuantile(s.Function, since, 0.99, s.Requests) : null,
                        };
                        if (value is { } v)
                        {
                            readings.Add(new AlertReading(rule.Name, s.Function, v, s.Requests));
                        }
                    }

                    break;
                case AlertSignal.QueueAge:
                    backlog ??= await store.BacklogAsync().ConfigureAwait(false);
                    foreach (var group in backlog.Where(b => b.OldestQueued is not null && rule.Functions.Matches(b.Function)).GroupBy(b => b.Function))
                    {
                        double age = group.Max(b => (now - b.OldestQueued!.Value).TotalSeconds);
                        readings.Add(new AlertReading(rule.Name, group.Key, Math.Max(0, age), 0));
                    }

                    break;
                case AlertSignal.AsyncFailures:
                    IReadOnlyDictionary<string, double> before = Baseline(now - rule.Window);
                    foreach (var (function, total) in failures)
                    {
                        double increase = total - before.GetValueOrDefault(function);
                        if (increase > 0 && rule.Functions.Matches(function))
                        {
                            readings.Add(new AlertReading(rule.Name, function, increase, 0));
                        }
                    }

                    break;
            }
        }

        return readings;
    }

    // Keeps one sample of the failure totals per evaluation, as far back as the longest window needs.
    private IReadOnlyDictionary<string, double> SampleFailures(IReadOnlyList<AlertRule> rules, DateTimeOffset now)
    {
        IReadOnlyDictionary<string, double> totals = metrics.AsyncFailures();
        TimeSpan longest = rules.Where(r => r.Signal == AlertSignal.AsyncFailures).Select(r => r.Window).DefaultIfEmpty(TimeSpan.Zero).Max();
        _failures.Add((now, totals));
        // Keep the newest sample at or before now - longest: it is the baseline of the longest window.
        while (_failures.Count > 1 && _failures[1].At <= now - longest)
        {
            _failures.RemoveAt(0);
        }

        return totals;
    }

    // The totals at `at`: the newest sample then. None that old: the platform started within the
    // window, and its counters started at 0, so everything counted so far is within it.
    private IReadOnlyDictionary<string, double> Baseline(DateTimeOffset at)
    {
        IReadOnlyDictionary<string, double> baseline = new Dictionary<string, double>();
        foreach (var (when, totals) in _failures)
        {
            if (when > at)
            {
                break;
            }

            baseline = totals;
        }

        return baseline;
    }
}
