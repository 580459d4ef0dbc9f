namespace Serval.Cli.Output;

/// <summary>Percentiles of measured times. Pure.</summary>
internal static class Percentiles
{
    /// <summary>
    /// The <paramref name="p"/>-th percentile (0..100) by nearest rank: of 48 samples, p50 is the
    /// 24th smallest and p99 the 48th (ceil(0.99 × 48) = 48). NaN for no samples.
    /// </summary>
    public static double Of(IReadOnlyList<double> samples, double p)
    {
        if (samples.Count == 0)
        {
            return double.NaN;
        }

        double[] sorted = [.. samples];
        Array.Sort(sorted);
        int rank = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
