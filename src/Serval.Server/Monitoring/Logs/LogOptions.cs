namespace Serval.Server.Monitoring.Logs;

/// <summary>How long the function logs keep their records, and how much they buffer.</summary>
public sealed record LogOptions
{
    /// <summary>Records older than this are removed (<c>--log-retention-hours</c>, default 24 h).</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Records waiting to be written at most; past it new ones are dropped and counted (never the request path waits for the log).</summary>
    public int Buffer { get; init; } = 65536;

    /// <summary>How often old records are swept.</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromMinutes(1);
}
