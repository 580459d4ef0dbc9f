namespace Serval.Core.Security;

/// <summary>
/// A key's requests-per-minute allowance as a token bucket, a value: it holds up to the limit's
/// worth of requests (a burst of a whole minute) and refills evenly, limit / 60 per second.
/// With 30 rpm, a full bucket at 12:00:00 lets 30 requests through at once; the 31st is refused
/// with Retry-After 2 s (one token refills every 60 / 30 = 2 s), and by 12:00:10 five more may go.
/// </summary>
/// <param name="Tokens">Requests that may go now (fractions are refill in progress).</param>
/// <param name="At">When <see cref="Tokens"/> was counted.</param>
public readonly record struct RateBucket(double Tokens, DateTimeOffset At)
{
    /// <summary>A full bucket for <paramref name="perMinute"/> at <paramref name="now"/>.</summary>
    public static RateBucket Full(int perMinute, DateTimeOffset now) => new(perMinute, now);

    /// <summary>
    /// Takes one request at <paramref name="now"/>: the bucket after it, and whether it may go;
    /// when not, how long until one token is back (rounded up to whole seconds, as Retry-After is).
    /// </summary>
    public (RateBucket Next, bool Allowed, TimeSpan RetryAfter) Take(int perMinute, DateTimeOffset now)
    {
        double perSecond = perMinute / 60.0;
        double elapsed = Math.Max(0, (now - At).TotalSeconds); // a clock that steps back refills nothing
        double tokens = Math.Min(perMinute, Tokens + elapsed * perSecond);
        if (tokens >= 1)
        {
            return (new RateBucket(tokens - 1, now), true, TimeSpan.Zero);
        }

        double wait = (1 - tokens) / perSecond;
        return (new RateBucket(tokens, now), false, TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(wait))));
    }
}
