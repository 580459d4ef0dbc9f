namespace Serval.Core.Async;

/// <summary>Exponential back-off with full jitter: the delay before retry n is uniform in [0, min(cap, base·2ⁿ⁻¹)).</summary>
public static class Backoff
{
    /// <summary>
    /// The delay before retry <paramref name="n"/> (1 for the first), given a uniform sample
    /// <paramref name="random"/> in [0, 1). Base 1 s, cap 5 min: retry 1 waits up to 1 s, retry 4
    /// up to 8 s, retry 10 and later up to 5 min; with sample 0.5, retry 3 waits 2 s. Full jitter
    /// spreads the retries of many invocations that failed together (an instance crash, a restart)
    /// instead of sending them back at once.
    /// </summary>
    public static TimeSpan FullJitter(int n, TimeSpan baseDelay, TimeSpan cap, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (random is < 0 or >= 1 || double.IsNaN(random))
        {
            throw new ArgumentOutOfRangeException(nameof(random), random, "a sample in [0, 1)");
        }

        // 2^(n-1) overflows nothing: past 2^40 the cap has long been reached.
        double ceilingTicks = Math.Min(cap.Ticks, baseDelay.Ticks * Math.Pow(2, Math.Min(n - 1, 40)));
        return TimeSpan.FromTicks((long)(ceilingTicks * random));
    }
}
