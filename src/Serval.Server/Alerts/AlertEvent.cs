using System.Globalization;
using Serval.Core.Alerts;
using Serval.Core.Specs;

namespace Serval.Server.Alerts;

/// <summary>
/// An alert as webhooks receive it and <c>GET /v1/alerts</c> lists it: <c>{"status": "firing",
/// "rule": "ServalHighErrorRate", "signal": "error_rate", "function": "ocr", "value": 0.12,
/// "threshold": 0.05, "window": "5m", "activeAt": ..., "firedAt": ..., "summary": "..."}</c>.
/// </summary>
public sealed record AlertEvent(
    string Status, string Rule, string? Signal, string Function, double Value, double? Threshold, string? Window,
    DateTimeOffset ActiveAt, DateTimeOffset? FiredAt, DateTimeOffset? ResolvedAt, string Summary)
{
    /// <summary>The event for <paramref name="alert"/> of <paramref name="rule"/> (null: a rule no longer listed).</summary>
    public static AlertEvent Of(ActiveAlert alert, AlertRule? rule)
    {
        string status = alert.Status.ToString().ToLowerInvariant();
        string value = alert.Value.ToString("0.####", CultureInfo.InvariantCulture);
        string over = rule is null || rule.Signal == AlertSignal.QueueAge ? "" : $" over {SpecUnits.FormatDuration(rule.Window)}";
        string summary = rule is null ? $"{alert.Rule} on {alert.Function}: {status} (the rule is no longer configured)"
            : alert.Status == AlertStatus.Resolved ? $"{rule.Signal.Name()} of {alert.Function} is no longer above {AlertConfigReader.Format(rule.Above)} (it reached {value}{over})"
            : $"{rule.Signal.Name()} of {alert.Function} is {value}{over}, above {AlertConfigReader.Format(rule.Above)}";
        return new AlertEvent(status, alert.Rule, rule?.Signal.Name(), alert.Function, alert.Value, rule?.Above,
            over.Length == 0 ? null : SpecUnits.FormatDuration(rule!.Window),
            alert.ActiveAt, alert.FiredAt, alert.ResolvedAt, summary);
    }
}
