namespace Serval.Core.Retries;

/// <summary>
/// Exponential back-off with a cap, the one used wherever something is tried again after a failure
/// (asynchronous runs and webhooks, instance starts, pooled processes): attempt n waits
/// <see cref="Base"/>·2ⁿ⁻¹, at most <see cref="Cap"/>. Base 1 s, cap 30 s: 1, 2, 4, 8, 16, 30, 30 s.
/// </summary>
/// <param name="Base">The first wait.</param>
/// <param name="Cap">The longest wait.</param>
public readonly record struct Backoff(TimeSpan Base, TimeSpan Cap)
{
    /// <summary>
    /// The wait after <paramref name="n"/> failures in a row (the ceiling of attempt n); zero for none.
    /// Base 1 s, cap 60 s: 1 → 1 s, 3 → 4 s, 7 → 64 s capped to 60 s.
    /// </summary>
    public TimeSpan Delay(int n)
    {
        if (n <= 0)
        {
            return TimeSpan.Zero;
        }

        // 2^(n-1) overflows nothing: past 2^40 the cap has long been reached.
        double ticks = Math.Min(Cap.Ticks, Base.Ticks * Math.Pow(2, Math.Min(n - 1, 40)));
        return TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>
    /// Full jitter: a wait uniform in [0, <see cref="Delay"/>(n)), given a uniform sample
    /// <paramref name="random"/> in [0, 1) for retry <paramref name="n"/> (1 for the first). Base 1 s,
    /// cap 5 min: retry 1 waits up to 1 s, retry 4 up to 8 s, retry 10 and later up to 5 min; with
    /// sample 0.5, retry 3 waits 2 s. It spreads the retries of many invocations that failed together
    /// (an instance crash, a restart) instead of sending them back at once.
    /// </summary>
    public TimeSpan FullJitter(int n, double random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (random is < 0 or >= 1 || double.IsNaN(random))
        {
            throw new ArgumentOutOfRangeException(nameof(random), random, "a sample in [0, 1)");
        }

        return TimeSpan.FromTicks((long)(Delay(n).Ticks * random));
    }
}
