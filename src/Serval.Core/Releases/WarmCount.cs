namespace Serval.Core.Releases;

/// <summary>How many instances a version needs ready before it is given a share of the traffic.</summary>
public static class WarmCount
{
    /// <summary>
    /// The instances serving now (<paramref name="serving"/>, both versions together) scaled to the
    /// share <paramref name="percent"/>, at least the version's <paramref name="min"/> and one when
    /// anything serves, at most its <paramref name="max"/>. 4 serving, 50 % → ceil(2.0) = 2; 3
    /// serving, 10 % → ceil(0.3) = 1; nothing serving (scaled to zero), min 0 → 0: there is no
    /// warm traffic to keep warm.
    /// </summary>
    public static int For(int serving, int percent, int min, int max)
    {
        int share = serving <= 0 ? 0 : Math.Max(1, (int)Math.Ceiling(serving * Math.Clamp(percent, 0, 100) / 100.0 - 1e-9));
        return Math.Min(Math.Max(share, min), Math.Max(max, 0));
    }
}
