using Serval.Core.Retries;

namespace Serval.Core.Dispatching;

/// <summary>
/// When a version may start its next instance after starts failed: after the n-th failure in a
/// row, not before the failure's time + <see cref="Backoff.Delay"/>(n). Base 1 s, cap 30 s: a
/// failure at 12:00:00 that is the third in a row allows the next start at 12:00:04. A value:
/// the pool keeps the current one and replaces it on every start's end.
/// </summary>
/// <param name="Failures">Starts that failed in a row.</param>
/// <param name="NextStartAt">The earliest time of the next start (default: at once).</param>
public readonly record struct StartBackoff(int Failures, DateTimeOffset NextStartAt)
{
    /// <summary>True when a start may begin at <paramref name="now"/>.</summary>
    public bool MayStart(DateTimeOffset now) => now >= NextStartAt;

    /// <summary>The back-off after a start failed at <paramref name="now"/>: one more failure, the next start later.</summary>
    public StartBackoff AfterFailure(DateTimeOffset now, Backoff backoff) => new(Failures + 1, now + backoff.Delay(Failures + 1));

    /// <summary>
    /// The back-off after a start succeeded: the count starts again from zero. A wait already set
    /// runs out on its own (another start may have failed meanwhile), so it is kept.
    /// </summary>
    public StartBackoff AfterSuccess() => this with { Failures = 0 };
}
