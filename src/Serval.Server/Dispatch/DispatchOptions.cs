using Serval.Core.Retries;

namespace Serval.Server.Dispatch;

/// <summary>Settings of the dispatcher (one set for every version).</summary>
public sealed record DispatchOptions
{
    /// <summary>
    /// Requests that may wait per version for a free slot before more are refused with 429. 1000: at
    /// rec's 25 ms per run and 4 slots per instance, one instance drains it in about 6 s, inside the
    /// default 60 s timeout; beyond that a caller is better told at once to back off.
    /// </summary>
    public int QueueLimit { get; init; } = 1000;

    /// <summary>
    /// The first retry delay after an instance failed to start; doubled per consecutive failure up to
    /// <see cref="MaxStartBackoff"/>. 1 s: a crash loop then costs one start per second at first, and a
    /// passing fault (a full disk, a port) heals within seconds.
    /// </summary>
    public TimeSpan StartBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between start attempts of a failing version (30 s).</summary>
    public TimeSpan MaxStartBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The back-off of a version's instance starts these settings describe.</summary>
    public Backoff StartRetry => new(StartBackoff, MaxStartBackoff);

    /// <summary>Every error names the field.</summary>
    public IEnumerable<string> Validate()
    {
        if (QueueLimit < 0)
        {
            yield return $"QueueLimit must be 0 or more, got {QueueLimit}";
        }

        if (StartBackoff <= TimeSpan.Zero || MaxStartBackoff < StartBackoff)
        {
            yield return $"StartBackoff must be positive and at most MaxStartBackoff ({StartBackoff} / {MaxStartBackoff})";
        }
    }
}
