using System.Collections.Concurrent;
using Serval.Core.Security;
using Serval.Server.Monitoring;

namespace Serval.Server.Security;

/// <summary>A refusal by a quota: which one, its limit, and when to try again.</summary>
/// <param name="Quota"><c>rpm</c> or <c>concurrency</c>.</param>
/// <param name="Limit">The key's limit.</param>
/// <param name="RetryAfter">Whole seconds until a retry may pass.</param>
/// <param name="Message">The error message.</param>
public sealed record QuotaRefusal(string Quota, int Limit, int RetryAfter, string Message);

/// <summary>
/// Per-key usage against <see cref="KeyQuota"/>: a <see cref="RateBucket"/> per key for requests per
/// minute (the arithmetic is the bucket's), and a count of running invocations for concurrency.
/// Refusals are counted in <c>serval_quota_rejections_total{key, quota}</c>.
/// </summary>
public sealed class QuotaGate(TimeProvider time, Metrics metrics)
{
    private readonly ConcurrentDictionary<string, Usage> _usage = new(StringComparer.Ordinal);

    /// <summary>Takes one request of <paramref name="key"/> from its rate; null when it may go.</summary>
    public QuotaRefusal? TakeRequest(ApiKey key)
    {
        if (key.Quota.RequestsPerMinute is not { } rpm)
        {
            return null;
        }

        Usage usage = _usage.GetOrAdd(key.Id, _ => new Usage());
        DateTimeOffset now = time.GetUtcNow();
        bool allowed;
        TimeSpan retry;
        lock (usage)
        {
            RateBucket bucket = usage.Bucket ?? RateBucket.Full(rpm, now);
            (RateBucket next, allowed, retry) = bucket.Take(rpm, now);
            usage.Bucket = next;
        }

        return allowed ? null : Refuse(key, "rpm", rpm, (int)retry.TotalSeconds, $"key {key.Id} is over its quota of {rpm} requests per minute: retry in {(int)retry.TotalSeconds} s");
    }

    /// <summary>Counts one running invocation of <paramref name="key"/>; null when it may run (then <see cref="Leave"/> it), else the refusal.</summary>
    public QuotaRefusal? Enter(ApiKey key)
    {
        if (key.Quota.Concurrency is not { } limit)
        {
            return null;
        }

        Usage usage = _usage.GetOrAdd(key.Id, _ => new Usage());
        if (Interlocked.Increment(ref usage.InFlight) <= limit)
        {
            return null;
        }

        Interlocked.Decrement(ref usage.InFlight);
        return Refuse(key, "concurrency", limit, 1, $"key {key.Id} already has {limit} invocations running, its quota of concurrent invocations: retry when one ends");
    }

    /// <summary>Ends an invocation <see cref="Enter"/> admitted.</summary>
    public void Leave(ApiKey key)
    {
        if (key.Quota.Concurrency is not null && _usage.TryGetValue(key.Id, out Usage? usage))
        {
            Interlocked.Decrement(ref usage.InFlight);
        }
    }

    /// <summary>Forgets a removed key's usage.</summary>
    public void Forget(string id) => _usage.TryRemove(id, out _);

    private QuotaRefusal Refuse(ApiKey key, string quota, int limit, int retryAfter, string message)
    {
        metrics.QuotaRejected(key.Id, quota);
        return new QuotaRefusal(quota, limit, retryAfter, message);
    }

    private sealed class Usage
    {
        public RateBucket? Bucket;
        public int InFlight;
    }
}
