using System.Globalization;

namespace Serval.Core.Scheduling;

/// <summary>
/// One of the five fields of a standard cron expression, and the parse of its text into the set of
/// values it matches: <c>*</c>, <c>5</c>, <c>1-5</c>, <c>*/15</c>, <c>1-30/2</c>, <c>10/5</c> (10 to the
/// end, every 5th) and lists of them (<c>1,15,30</c>); months and days of the week also by name.
/// </summary>
internal sealed class CronField(string name, int min, int max, string[]? names = null, int firstNamed = 0, string? unit = null)
{
    public static readonly CronField Minute = new("minute", 0, 59);
    public static readonly CronField Hour = new("hour", 0, 23);
    public static readonly CronField Day = new("day-of-month", 1, 31);
    public static readonly CronField Month = new("month", 1, 12,
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1, "1-12 or JAN-DEC");
    public static readonly CronField Weekday = new("day-of-week", 0, 7,
        ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], 0, "0-7 (0 and 7 are Sunday) or SUN-SAT");

    public string Name => name;

    public int Min => min;

    public int Max => max;

    /// <summary>
    /// The values <paramref name="text"/> matches (index = value), or null with <paramref name="error"/>
    /// set to the part that is wrong ("hour 25 is out of range 0-23") and a hint.
    /// </summary>
    public bool[]? Parse(string text, out (string Message, string? Hint) error)
    {
        var values = new bool[max + 1];
        error = default;
        foreach (var item in text.Split(','))
        {
            if (!ParseItem(item, values, out error))
            {
                return null;
            }
        }

        return values;
    }

    private bool ParseItem(string item, bool[] values, out (string Message, string? Hint) error)
    {
        error = default;
        if (item.Length == 0)
        {
            error = ($"{name} has an empty item in its list", "separate values with single commas, e.g. '1,15'");
            return false;
        }

        var slash = item.IndexOf('/');
        var range = slash < 0 ? item : item[..slash];
        var step = 1;
        if (slash >= 0 && !TryStep(item[(slash + 1)..], out step, out error))
        {
            return false;
        }

        int from, to;
        if (range == "*")
        {
            (from, to) = (min, max);
        }
        else
        {
            var dash = range.IndexOf('-');
            if (!TryValue(dash < 0 ? range : range[..dash], item, out from, out error))
            {
                return false;
            }

            to = from;
            if (dash >= 0 && !TryValue(range[(dash + 1)..], item, out to, out error))
            {
                return false;
            }

            if (to < from)
            {
                error = ($"{name} range {range} goes backwards", $"split it in two, e.g. '{from}-{max},{min}-{to}'");
                return false;
            }

            // "10/5" is 10 to the end, every 5th, as most crons read it.
            if (slash >= 0 && dash < 0)
            {
                to = max;
            }
        }

        for (var value = from; value <= to; value += step)
        {
            values[value] = true;
        }

        return true;
    }

    private bool TryStep(string text, out int step, out (string Message, string? Hint) error)
    {
        error = default;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out step))
        {
            error = ($"{name} step '{text}' is not a whole number", "write a step like '*/15' (every 15th)");
            return false;
        }

        if (step < 1)
        {
            error = ($"{name} step 0 must be at least 1", "write a step like '*/15' (every 15th)");
            return false;
        }

        return true;
    }

    private bool TryValue(string text, string item, out int value, out (string Message, string? Hint) error)
    {
        error = default;
        value = 0;
        if (text.Length == 0)
        {
            error = ($"{name} '{item}' is missing a number", $"{name} is {unit ?? $"{min}-{max}"}; a range is written 'from-to'");
            return false;
        }

        if (names is not null && Array.FindIndex(names, n => n.Equals(text, StringComparison.OrdinalIgnoreCase)) is var index and >= 0)
        {
            value = firstNamed + index;
            return true;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            error = CronParser.IsQuartzOnly(text)
                ? ($"{name} '{text}' is Quartz syntax, not standard cron", CronParser.QuartzHint(text))
                : ($"{name} '{text}' is not a number", $"{name} is {unit ?? $"{min}-{max}"}");
            return false;
        }

        if (value < min || value > max)
        {
            error = ($"{name} {value} is out of range {min}-{max}", unit is null ? null : $"{name} is {unit}");
            return false;
        }

        return true;
    }
}
