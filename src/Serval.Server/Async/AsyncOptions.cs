using Serval.Core.Async;

namespace Serval.Server.Async;

/// <summary>Settings of asynchronous invocations: limits, leases, back-off, retention.</summary>
public sealed record AsyncOptions
{
    /// <summary>
    /// The largest body an asynchronous invocation accepts (6 MiB, <c>--async-max-payload-mb</c>): it
    /// is stored until it has run, so it is held to the size of an event, not of a model input; larger
    /// inputs travel as URLs.
    /// </summary>
    public long MaxPayloadBytes { get; init; } = 6L << 20;

    /// <summary>
    /// How long a claim on a running invocation lasts without renewal (10 s; renewed every third of
    /// it). A platform that dies holding invocations gives them up this long after its last renewal,
    /// and another (or itself, restarted) runs them again.
    /// </summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often the store is asked for due work beside the wake-ups the platform gives itself (1 s):
    /// work another platform queued, leases that expired, functions deleted with invocations queued.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The retries' back-off (see <see cref="RetryOptions"/>).</summary>
    public RetryOptions Retry { get; init; } = new();

    /// <summary>How long finished invocations, their results and records are kept (7 days, <c>--async-retention-hours</c>).</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(7);

    /// <summary>How often the sweeper deletes what is past <see cref="Retention"/> (1 min).</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Attempts to POST a record to a webhook destination before its delivery ends <c>Failed</c>
    /// (8: with the retries' back-off that is about 4 minutes of trying).
    /// </summary>
    public int WebhookAttempts { get; init; } = 8;

    /// <summary>How long one webhook POST may take (10 s).</summary>
    public TimeSpan WebhookTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How deep a chain of destinations may go (16): a function's onSuccess invoking one whose
    /// onSuccess invokes the first would otherwise never end. Past it the delivery ends <c>Failed</c>.
    /// </summary>
    public int MaxChainDepth { get; init; } = 16;

    /// <summary>
    /// Jobs (asynchronous invocations of a plan) of one plan running at once (4). A plan has no
    /// instances to bound it; each job fans out up to its map step's concurrency, so 4 jobs of a plan
    /// mapping 64 at once put at most 256 items in the step function's queue, which holds 1000.
    /// </summary>
    public int PlanRuns { get; init; } = 4;

    /// <summary>Results up to this size are shown inline in <c>GET /v1/invocations/{id}</c> (64 KiB); all are at <c>.../result</c>.</summary>
    public int InlineResultBytes { get; init; } = 64 << 10;

    /// <summary>Every error names the field.</summary>
    public IEnumerable<string> Validate()
    {
        if (MaxPayloadBytes <= 0 || MaxPayloadBytes > int.MaxValue)
        {
            yield return $"Async.MaxPayloadBytes must be 1 byte to 2 GiB, got {MaxPayloadBytes}";
        }

        if (Lease < TimeSpan.FromMilliseconds(300))
        {
            yield return $"Async.Lease must be at least 300 ms, got {Lease}";
        }

        if (PollInterval <= TimeSpan.Zero || SweepInterval <= TimeSpan.Zero || Retention <= TimeSpan.Zero || WebhookTimeout <= TimeSpan.Zero)
        {
            yield return "Async.PollInterval, SweepInterval, Retention and WebhookTimeout must be positive";
        }

        if (WebhookAttempts < 1 || MaxChainDepth < 1 || PlanRuns < 1)
        {
            yield return $"Async.WebhookAttempts, MaxChainDepth and PlanRuns must be at least 1 ({WebhookAttempts} / {MaxChainDepth} / {PlanRuns})";
        }

        foreach (string error in Retry.Validate())
        {
            yield return "Async." + error;
        }
    }
}
