namespace Serval.Bench;

/// <summary>Percentiles of a sample of milliseconds.</summary>
public static class Stats
{
    /// <summary>The <paramref name="p"/>-th percentile (0..100), nearest rank.</summary>
    public static double Percentile(IReadOnlyList<double> samples, double p)
    {
        if (samples.Count == 0)
        {
            return double.NaN;
        }

        var sorted = samples.Order().ToArray();
        int rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    /// <summary>"p50 1.23 ms, p95 2.34 ms".</summary>
    public static string Describe(IReadOnlyList<double> samples) =>
        $"p50 {Percentile(samples, 50):0.000} ms, p95 {Percentile(samples, 95):0.000} ms, p99 {Percentile(samples, 99):0.000} ms (n={samples.Count})";
}
