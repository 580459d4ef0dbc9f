using System.Globalization;

namespace Serval.Core.Simulation;

/// <summary>What a trace's second column counts.</summary>
public enum TraceKind
{
    /// <summary><c>rps</c>: requests arriving per second (an open load: arrivals do not wait for answers).</summary>
    Rps,

    /// <summary><c>clients</c>: closed-loop clients, each sending its next request when the last is answered (as bench/run.sh spiky does).</summary>
    Clients,
}

/// <summary>
/// A request-rate trace: a level from each row's second until the next row's, the last row's for one
/// second. Rows <c>0,2</c>, <c>15,12</c>, <c>25,2</c>, <c>119,2</c>: 2 from 0 s, 12 from 15 s, 2 from 25 s to the end at 120 s.
/// </summary>
/// <param name="Kind">What the levels count.</param>
/// <param name="Points">(second, level), seconds increasing from 0.</param>
public sealed record LoadTrace(TraceKind Kind, IReadOnlyList<(double Second, double Level)> Points)
{
    /// <summary>When the trace ends: one second after its last row.</summary>
    public double End => Points.Count == 0 ? 0 : Points[^1].Second + 1;

    /// <summary>The level at second <paramref name="t"/> (0 before the first row and after the end).</summary>
    public double LevelAt(double t)
    {
        if (t < 0 || t >= End)
        {
            return 0;
        }

        double level = 0;
        foreach (var (second, value) in Points)
        {
            if (second > t)
            {
                break;
            }

            level = value;
        }

        return level;
    }

    /// <summary>The first row's second after <paramref name="t"/>, or <see cref="End"/>.</summary>
    public double NextChangeAfter(double t)
    {
        foreach (var (second, _) in Points)
        {
            if (second > t)
            {
                return second;
            }
        }

        return t < End ? End : double.PositiveInfinity;
    }

    /// <summary>The highest level from <paramref name="from"/> until <paramref name="to"/>.</summary>
    public double PeakBetween(double from, double to)
    {
        double peak = LevelAt(from);
        foreach (var (second, value) in Points)
        {
            if (second > from && second < to)
            {
                peak = Math.Max(peak, value);
            }
        }

        return peak;
    }

    /// <summary>
    /// Reads a CSV trace: a header <c>second,rps</c> or <c>second,clients</c>, then one row per change
    /// (<c>15,12</c>); <c>#</c> starts a comment, blank lines are skipped. Seconds start at 0 or later and
    /// increase; levels are at least 0. Every problem names its line (<paramref name="file"/>:3: ...).
    /// </summary>
    public static (LoadTrace? Trace, IReadOnlyList<string> Errors) Read(string file, string text)
    {
        var errors = new List<string>();
        var points = new List<(double, double)>();
        TraceKind? kind = null;
        string[] lines = text.Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n];
            int hash = line.IndexOf('#', StringComparison.Ordinal);
            line = (hash >= 0 ? line[..hash] : line).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            string[] cells = line.Split(',', StringSplitOptions.TrimEntries);
            string where = $"{file}:{n + 1}";
            if (kind is null)
            {
                kind = cells is ["second", "rps"] ? TraceKind.Rps : cells is ["second", "clients"] ? TraceKind.Clients : null;
                if (kind is null)
                {
                    errors.Add($"{where}: expected the header 'second,rps' or 'second,clients', got '{line}'");
                    return (null, errors);
                }

                continue;
            }

            if (cells.Length != 2
                || !double.TryParse(cells[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double second)
                || !double.TryParse(cells[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double level)
                || !double.IsFinite(second) || !double.IsFinite(level))
            {
                errors.Add($"{where}: expected 'second,{(kind == TraceKind.Rps ? "rps" : "clients")}' as two numbers, got '{line}'");
                continue;
            }

            if (second < 0 || level < 0)
            {
                errors.Add($"{where}: seconds and levels must not be negative, got '{line}'");
            }
            else if (points.Count > 0 && second <= points[^1].Item1)
            {
                errors.Add($"{where}: seconds must increase, got {cells[0]} after {points[^1].Item1.ToString(CultureInfo.InvariantCulture)}");
            }
            else
            {
                points.Add((second, level));
            }
        }

        if (kind is null)
        {
            errors.Add($"{file}:1: empty: expected the header 'second,rps' or 'second,clients' and rows");
        }
        else if (points.Count == 0 && errors.Count == 0)
        {
            errors.Add($"{file}: no rows after the header");
        }

        return errors.Count > 0 ? (null, errors) : (new LoadTrace(kind!.Value, points), errors);
    }
}
