using Serval.Core.Security;

namespace Serval.Core.Alerts;

/// <summary>
/// One alert rule: a signal, the functions it judges (each alone), the threshold it must pass, the
/// window it is measured over and how long it must stay past the threshold before it fires
/// (Prometheus' <c>for:</c>). <c>error_rate above 0.05 over 5m for 1m</c>: a function whose 5xx share
/// over the last 5 minutes stays above 5 % for a minute fires; it resolves at the first evaluation below.
/// </summary>
public sealed record AlertRule
{
    /// <summary>The rule's name (unique): <c>HighErrorRate</c>.</summary>
    public required string Name { get; init; }

    /// <summary>What is measured.</summary>
    public required AlertSignal Signal { get; init; }

    /// <summary>The functions judged, each on its own: a name, a prefix (<c>ocr-*</c>) or <c>*</c> (default).</summary>
    public FunctionPattern Functions { get; init; } = FunctionPattern.All;

    /// <summary>The rule is breached while the signal is above this (a share, seconds or a count).</summary>
    public required double Above { get; init; }

    /// <summary>The window the signal is measured over (default 5 min; not used by <c>queue_age</c>).</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the breach must last before the alert fires (default 1 min; 0 fires at once).</summary>
    public TimeSpan For { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// For the per-request signals, the fewest invocations in the window for a judgement (default 10):
    /// one failed call of one is a 100 % error rate, and says little.
    /// </summary>
    public int MinRequests { get; init; } = 10;
}
