using System.Globalization;
using System.Text.RegularExpressions;

namespace Serval.Core.Specs;

/// <summary>The units <c>serval.yaml</c> writes durations and memory sizes in.</summary>
public static partial class SpecUnits
{
    /// <summary>What a duration looks like, for hints.</summary>
    public const string DurationExamples = "500ms, 60s, 5m, 1h or 1h30m (a bare number is seconds)";

    /// <summary>What a memory size looks like, for hints.</summary>
    public const string MemoryExamples = "512Mi, 2Gi, 1G, 512M (a bare number is MiB)";

    /// <summary>
    /// Parses <c>500ms</c>, <c>60s</c>, <c>5m</c>, <c>1h</c>, <c>1h30m</c>, <c>1.5s</c>, or a bare
    /// number of seconds (<c>90</c>, <c>0.5</c>). No sign: a duration is never negative.
    /// </summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        text = text.Trim();
        if (TryParseAmount(text, out var seconds))
        {
            return TryFromMilliseconds(seconds * 1000, out duration);
        }

        var matches = DurationPart().Matches(text);
        if (matches.Count == 0 || matches.Sum(m => m.Length) != text.Length)
        {
            return false;
        }

        double totalMs = 0;
        foreach (Match part in matches)
        {
            var amount = double.Parse(part.Groups["n"].Value, CultureInfo.InvariantCulture);
            totalMs += part.Groups["u"].Value switch
            {
                "ms" => amount,
                "s" => amount * 1000,
                "m" => amount * 60_000,
                _ => amount * 3_600_000,
            };
        }

        return TryFromMilliseconds(totalMs, out duration);
    }

    /// <summary>
    /// Parses a memory size into MiB, rounded up: binary units <c>Ki</c>, <c>Mi</c>, <c>Gi</c>,
    /// <c>Ti</c>, decimal units <c>K</c>, <c>M</c>, <c>G</c>, <c>T</c> (as Kubernetes writes them),
    /// or a bare number of MiB. <c>2Gi</c> → 2048; <c>1G</c> = 10⁹ bytes → 953.7 → 954.
    /// </summary>
    public static bool TryParseMemoryMb(string text, out long mebibytes)
    {
        mebibytes = 0;
        var match = MemorySize().Match(text.Trim());
        if (!match.Success)
        {
            return false;
        }

        var amount = double.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        double bytesPerUnit = match.Groups["u"].Value switch
        {
            "" or "Mi" => 1 << 20,
            "Ki" => 1 << 10,
            "Gi" => 1L << 30,
            "Ti" => 1L << 40,
            "k" or "K" => 1e3,
            "M" => 1e6,
            "G" => 1e9,
            _ => 1e12,
        };
        var mib = Math.Ceiling(amount * bytesPerUnit / (1 << 20));
        if (!double.IsFinite(mib) || mib > long.MaxValue / 2)
        {
            return false;
        }

        mebibytes = (long)mib;
        return true;
    }

    /// <summary>Writes a duration the way a spec would: <c>1s</c>, <c>500ms</c>, <c>1h30m</c>.</summary>
    public static string FormatDuration(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new System.Text.StringBuilder();
        Append((long)duration.TotalHours, "h");
        Append(duration.Minutes, "m");
        Append(duration.Seconds, "s");
        Append(duration.Milliseconds, "ms");
        return text.ToString();

        void Append(long amount, string unit)
        {
            if (amount > 0)
            {
                text.Append(amount).Append(unit);
            }
        }
    }

    /// <summary>A plain non-negative decimal number: <c>60</c>, <c>0.5</c>.</summary>
    internal static bool TryParseAmount(string text, out double value)
    {
        value = 0;
        return PlainNumber().IsMatch(text)
            && double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryFromMilliseconds(double ms, out TimeSpan duration)
    {
        // Ten years keeps TimeSpan far from overflow; each key checks its own range afterwards.
        if (!double.IsFinite(ms) || ms > TimeSpan.FromDays(3650).TotalMilliseconds)
        {
            duration = TimeSpan.Zero;
            return false;
        }

        duration = TimeSpan.FromMilliseconds(Math.Round(ms));
        return true;
    }

    [GeneratedRegex(@"(?<n>[0-9]+(\.[0-9]+)?)(?<u>ms|s|m|h)")]
    private static partial Regex DurationPart();

    [GeneratedRegex(@"^(?<n>[0-9]+(\.[0-9]+)?)(?<u>Ki|Mi|Gi|Ti|k|K|M|G|T)?$")]
    private static partial Regex MemorySize();

    [GeneratedRegex(@"^[0-9]+(\.[0-9]+)?$")]
    private static partial Regex PlainNumber();
}
