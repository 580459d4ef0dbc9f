namespace Serval.Core.Alerts;

/// <summary>
/// Alert evaluation, a pure policy after Prometheus' alerting rules: the rules, this evaluation's
/// readings, the alerts of the last one and the time go in; the alerts now and the changes to
/// announce come out. The loop that measures, keeps the state and sends the events lives elsewhere.
/// </summary>
/// <remarks>
/// A reading breaches its rule when its value is above the rule's threshold (and, for the
/// per-request signals, at least <see cref="AlertRule.MinRequests"/> invocations stand behind it).
/// A first breach makes the alert pending from now; one still breached <see cref="AlertRule.For"/>
/// after it began fires (with <c>for: 0</c> at once). A pending alert not breached any more is
/// dropped without a word; a firing one resolves. No reading at all (the function is gone, or had no
/// calls in the window) counts as not breached, as a series that vanished resolves in Prometheus.
/// Rule "errors", above 0.05, for 1m: 0.2 at 12:00 → pending; 0.3 at 12:00:30 → pending;
/// 0.25 at 12:01 → firing (announced); 0.01 at 12:01:30 → resolved (announced).
/// </remarks>
public static class AlertPolicy
{
    /// <summary>Evaluates <paramref name="readings"/> against <paramref name="rules"/> at <paramref name="now"/>.</summary>
    /// <param name="rules">The rules, in configuration order.</param>
    /// <param name="readings">This evaluation's measurements; those of unknown rules or functions a rule does not cover are ignored.</param>
    /// <param name="previous">The pending and firing alerts the last evaluation returned (empty for the first).</param>
    /// <param name="now">The time of this evaluation.</param>
    public static AlertEvaluation Evaluate(IReadOnlyList<AlertRule> rules, IReadOnlyList<AlertReading> readings, IReadOnlyList<ActiveAlert> previous, DateTimeOffset now)
    {
        var byRule = new Dictionary<string, AlertRule>(StringComparer.Ordinal);
        foreach (AlertRule rule in rules)
        {
            byRule.TryAdd(rule.Name, rule);
        }

        var before = new Dictionary<(string, string), ActiveAlert>();
        foreach (ActiveAlert alert in previous)
        {
            if (alert.Status != AlertStatus.Resolved)
            {
                before[(alert.Rule, alert.Function)] = alert;
            }
        }

        var active = new List<ActiveAlert>();
        var transitions = new List<AlertTransition>();
        var breached = new HashSet<(string, string)>();
        foreach (AlertReading reading in readings)
        {
            if (!byRule.TryGetValue(reading.Rule, out AlertRule? rule) || !rule.Functions.Matches(reading.Function) || !Breaches(rule, reading)
                || !breached.Add((reading.Rule, reading.Function)))
            {
                continue;
            }

            ActiveAlert? last = before.GetValueOrDefault((reading.Rule, reading.Function));
            DateTimeOffset activeAt = last?.ActiveAt ?? now;
            if (last is { Status: AlertStatus.Firing })
            {
                active.Add(last with { Value = reading.Value });
            }
            else if (now - activeAt >= rule.For)
            {
                var fired = new ActiveAlert(rule.Name, reading.Function, AlertStatus.Firing, activeAt, now, null, reading.Value);
                active.Add(fired);
                transitions.Add(new AlertTransition(fired, rule));
            }
            else
            {
                active.Add(new ActiveAlert(rule.Name, reading.Function, AlertStatus.Pending, activeAt, null, null, reading.Value));
            }
        }

        foreach (var ((ruleName, function), alert) in before)
        {
            if (breached.Contains((ruleName, function)) || alert.Status != AlertStatus.Firing)
            {
                continue; // still breached, or pending and dropped quietly
            }

            // A rule no longer in the list resolves its alerts too (its transition has no rule).
            transitions.Add(new AlertTransition(alert with { Status = AlertStatus.Resolved, ResolvedAt = now }, byRule.GetValueOrDefault(ruleName)));
        }

        var order = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < rules.Count; i++)
        {
            order.TryAdd(rules[i].Name, i);
        }

        active.Sort((a, b) =>
        {
            int byOrder = order[a.Rule].CompareTo(order[b.Rule]);
            return byOrder != 0 ? byOrder : string.CompareOrdinal(a.Function, b.Function);
        });
        return new AlertEvaluation(active, transitions);
    }

    /// <summary>True when <paramref name="reading"/> is past <paramref name="rule"/>'s threshold with enough invocations behind it.</summary>
    public static bool Breaches(AlertRule rule, AlertReading reading) =>
        reading.Value > rule.Above && (!rule.Signal.PerRequest() || reading.Requests >= rule.MinRequests);
}
