namespace Serval.Core.Alerts;

/// <summary>Where an alert is: breached but waiting out <c>for</c>, firing, or resolved.</summary>
public enum AlertStatus
{
    /// <summary>Breached for less than the rule's <c>for</c>.</summary>
    Pending,

    /// <summary>Breached for at least the rule's <c>for</c>: a firing event was sent.</summary>
    Firing,

    /// <summary>Was firing, then no longer breached: a resolving event was sent.</summary>
    Resolved,
}

/// <summary>One rule's alert for one function.</summary>
/// <param name="Rule">The rule's name.</param>
/// <param name="Function">The function.</param>
/// <param name="Status">Pending, firing or resolved.</param>
/// <param name="ActiveAt">When the breach began.</param>
/// <param name="FiredAt">When it fired (null while pending).</param>
/// <param name="ResolvedAt">When it resolved (null until then).</param>
/// <param name="Value">The latest value measured while breached.</param>
public sealed record ActiveAlert(string Rule, string Function, AlertStatus Status, DateTimeOffset ActiveAt, DateTimeOffset? FiredAt, DateTimeOffset? ResolvedAt, double Value);

/// <summary>A change to announce: an alert that fired, or one that resolved.</summary>
/// <param name="Alert">The alert as it is after the change (<see cref="AlertStatus.Firing"/> or <see cref="AlertStatus.Resolved"/>).</param>
/// <param name="Rule">Its rule; null for an alert whose rule is no longer in the list (it resolves).</param>
public sealed record AlertTransition(ActiveAlert Alert, AlertRule? Rule);

/// <summary>What <see cref="AlertPolicy.Evaluate"/> decided: the alerts pending or firing now, and the changes to announce.</summary>
/// <param name="Active">Pending and firing alerts, in rule order then function order.</param>
/// <param name="Transitions">Alerts that fired or resolved at this evaluation.</param>
public sealed record AlertEvaluation(IReadOnlyList<ActiveAlert> Active, IReadOnlyList<AlertTransition> Transitions);
