namespace Serval.Core.Specs;

/// <summary>
/// <c>release: { steps, interval, maxErrorRate, maxLatencyRatio, minRequests, bids, sticky }</c>:
/// a deploy of a version with this key moves the serving alias to it in steps, each judged against
/// the version serving before it over <see cref="Interval"/>; without the key a deploy switches at once.
/// </summary>
public sealed record ReleaseSpec
{
    /// <summary>The shares of traffic (percent) the new version gets, step by step; strictly increasing, the last is 100 (default 10, 50, 100).</summary>
    public IReadOnlyList<int> Steps { get; init; } = [10, 50, 100];

    /// <summary>How long each step is watched before it is judged (default 1 min).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How far the new version's error rate may exceed the old one's over a step, as a fraction
    /// (default 0.01: 1 %). Old 0 %, new 3 of 50 = 6 % → 6 points above, more than 1 → rolled back.
    /// </summary>
    public double MaxErrorRate { get; init; } = 0.01;

    /// <summary>The most the new version's p99 may be, as a multiple of the old one's over a step (default 1.5).</summary>
    public double MaxLatencyRatio { get; init; } = 1.5;

    /// <summary>Requests the new version must answer in a step before it is judged; fewer hold the step (default 50).</summary>
    public int MinRequests { get; init; } = 50;

    /// <summary>The businesses the new version is offered to before it is promoted; empty: every caller.</summary>
    public IReadOnlyList<string> Bids { get; init; } = [];

    /// <summary>The request header whose value keeps one caller on one version (default <c>X-Serval-Bid</c>).</summary>
    public string Sticky { get; init; } = DefaultSticky;

    /// <summary>The header that names a caller when the template names none.</summary>
    public const string DefaultSticky = "X-Serval-Bid";
}
