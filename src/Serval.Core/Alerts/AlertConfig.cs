using Serval.Core.Security;

namespace Serval.Core.Alerts;

/// <summary>
/// The alerting part of the platform's configuration (<c>--alerts FILE</c>): the rules, where events
/// go, how often rules are evaluated and how hard a webhook is tried.
/// </summary>
public sealed record AlertConfig
{
    /// <summary>
    /// The rules used without a file: each judges every function, over 5 minutes, firing after 1 minute
    /// past its threshold. 5 % errors and a 20 % cold-start rate are the kind of thresholds an on-call
    /// team tolerates before looking; a p99 of 2.5 s is five times the OCR demo's slowest call; a minute
    /// of asynchronous backlog is far past the millisecond an idle platform takes to start a job
    /// (bench/RESULTS.md, async); any failed job in 15 minutes is worth a look, as each one exhausted its retries.
    /// </summary>
    public static readonly IReadOnlyList<AlertRule> DefaultRules =
    [
        new() { Name = "ServalHighErrorRate", Signal = AlertSignal.ErrorRate, Above = 0.05 },
        new() { Name = "ServalSlowP99", Signal = AlertSignal.P99, Above = 2.5 },
        new() { Name = "ServalAsyncQueueOld", Signal = AlertSignal.QueueAge, Above = 60, For = TimeSpan.Zero },
        new() { Name = "ServalHighColdStartRate", Signal = AlertSignal.ColdStartRate, Above = 0.2, Window = TimeSpan.FromMinutes(15), MinRequests = 20 },
        new() { Name = "ServalAsyncFailures", Signal = AlertSignal.AsyncFailures, Above = 0, Window = TimeSpan.FromMinutes(15), For = TimeSpan.Zero },
    ];

    /// <summary>The rules, in order (<see cref="DefaultRules"/> when the file has no <c>rules</c>).</summary>
    public IReadOnlyList<AlertRule> Rules { get; init; } = DefaultRules;

    /// <summary>URLs every firing and resolving event is POSTed to as JSON (none by default: <c>GET /v1/alerts</c> still lists them).</summary>
    public IReadOnlyList<Uri> Webhooks { get; init; } = [];

    /// <summary>
    /// Time between evaluations (default 15 s, the evaluation interval most Prometheus set-ups use):
    /// a <c>for: 1m</c> is then judged four times before it fires.
    /// </summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Attempts per event and webhook (default 8): with the retries' back-off (1 s doubling, at most
    /// 30 s, full jitter) the last comes about two minutes after the first, past a webhook's restart.
    /// </summary>
    public int WebhookAttempts { get; init; } = 8;

    /// <summary>How long one POST may take (default 10 s).</summary>
    public TimeSpan WebhookTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Resolved alerts kept for <c>GET /v1/alerts</c>' <c>recent</c> (default 100, the newest).</summary>
    public int Recent { get; init; } = 100;

    /// <summary>The rule named <paramref name="name"/>, or null.</summary>
    public AlertRule? Rule(string name) => Rules.FirstOrDefault(r => r.Name == name);

    /// <summary>A rule's functions as written (<c>*</c>, <c>ocr-*</c>).</summary>
    public static string Describe(FunctionPattern pattern) => pattern.Text;
}
