using Serval.Core.Retries;

namespace Serval.Core.Async;

/// <summary>The back-off of asynchronous invocations' retries (see <see cref="Retries.Backoff.FullJitter"/>).</summary>
public sealed record RetryOptions
{
    /// <summary>
    /// The ceiling of the first retry's delay, doubled per retry (1 s): a passing fault (an instance
    /// that crashed and is replaced within a second) is retried at once, a lasting one less often.
    /// </summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The largest ceiling (5 min): a function down for hours is still tried a dozen times an hour.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The back-off these settings describe.</summary>
    public Backoff Backoff => new(BaseDelay, MaxDelay);

    /// <summary>Every error names the field.</summary>
    public IEnumerable<string> Validate()
    {
        if (BaseDelay <= TimeSpan.Zero || MaxDelay < BaseDelay)
        {
            yield return $"Retry.BaseDelay must be positive and at most Retry.MaxDelay ({BaseDelay} / {MaxDelay})";
        }
    }
}
