using System.Globalization;

namespace Serval.Cli.Output;

/// <summary>How the CLI writes sizes, times, digests and numbers. Pure.</summary>
internal static class Formats
{
    /// <summary>1536 → "1.5 KiB"; 200 → "200 B".</summary>
    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? $"{bytes} B"
            : value.ToString(value < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    /// <summary>How long ago: 42 s → "42s ago", 90 min → "1h ago", over a week → the date.</summary>
    public static string Ago(DateTimeOffset then, DateTimeOffset now)
    {
        var age = now - then;
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }

        return age.TotalSeconds < 60 ? $"{(int)age.TotalSeconds}s ago"
            : age.TotalMinutes < 60 ? $"{(int)age.TotalMinutes}m ago"
            : age.TotalHours < 24 ? $"{(int)age.TotalHours}h ago"
            : age.TotalDays < 7 ? $"{(int)age.TotalDays}d ago"
            : then.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>How long until: 42 s → "in 42s", 90 min → "in 1h", over a week → the date; a time already past → "now".</summary>
    public static string Until(DateTimeOffset then, DateTimeOffset now)
    {
        var wait = then - now;
        return wait <= TimeSpan.Zero ? "now"
            : wait.TotalSeconds < 60 ? $"in {(int)Math.Ceiling(wait.TotalSeconds)}s"
            : wait.TotalMinutes < 60 ? $"in {(int)wait.TotalMinutes}m"
            : wait.TotalHours < 24 ? $"in {(int)wait.TotalHours}h"
            : wait.TotalDays < 7 ? $"in {(int)wait.TotalDays}d"
            : then.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>"sha256:0123456789abcdef..." → "0123456789ab".</summary>
    public static string ShortDigest(string digest)
    {
        int colon = digest.IndexOf(':');
        string hex = colon >= 0 ? digest[(colon + 1)..] : digest;
        return hex.Length > 12 ? hex[..12] : hex;
    }

    /// <summary>A tensor value: integers as they are, others with 6 significant digits (0.000123457).</summary>
    public static string Number(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15
            ? value.ToString("0", CultureInfo.InvariantCulture)
            : value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>[1, 3, 48, 320] → "[1,3,48,320]".</summary>
    public static string Shape(IEnumerable<long> shape) => "[" + string.Join(',', shape) + "]";
}
