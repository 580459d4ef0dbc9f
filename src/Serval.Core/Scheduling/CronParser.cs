using System.Text.RegularExpressions;

namespace Serval.Core.Scheduling;

/// <summary>
/// Reads standard 5-field cron (minute hour day-of-month month day-of-week) and translates it to
/// Quartz's form, which has seconds in front and wants '?' in one of the two day fields.
/// <list type="bullet">
/// <item>Seconds: '0'. Each other field is expanded to its values ('*/20' → '0,20,40'), or '*' when it matches all.</item>
/// <item>Days of the week are renumbered: cron's 0-7 (0 and 7 Sunday) become Quartz's 1-7 (1 Sunday): '1-5' → '2,3,4,5,6'.</item>
/// <item>Day fields, as cron reads them: when either begins with '*' both must match, so the one that matches
/// every day becomes '?' ("0 8 * * 1-5" → "0 0 8 ? * 2,3,4,5,6"); when neither does, a day matching
/// either fires, which Quartz cannot say in one expression, so there are two ("0 8 1 * 1" →
/// "0 0 8 1 * ?" and "0 0 8 ? * 2").</item>
/// <item>Shorthands: @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly.</item>
/// </list>
/// Quartz-only syntax ('?', 'L', 'W', '#', a seconds or year field) is rejected, so an expression
/// means the same here as in crontab(5) and Kubernetes CronJobs.
/// </summary>
internal static partial class CronParser
{
    private const string FieldsHint = "write 5 fields: minute hour day-of-month month day-of-week, e.g. '0 8 * * 1-5' is 08:00 on weekdays";

    private static readonly Dictionary<string, string> Shorthands = new(StringComparer.OrdinalIgnoreCase)
    {
        ["@yearly"] = "0 0 1 1 *",
        ["@annually"] = "0 0 1 1 *",
        ["@monthly"] = "0 0 1 * *",
        ["@weekly"] = "0 0 * * 0",
        ["@daily"] = "0 0 * * *",
        ["@midnight"] = "0 0 * * *",
        ["@hourly"] = "0 * * * *",
    };

    /// <summary>Days in each month, February with its leap day: a day-of-month no named month has never fires.</summary>
    private static readonly int[] DaysInMonth = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

    public static CronSchedule? Parse(string text, out CronError? error)
    {
        var trimmed = text.Trim();
        error = null;
        var expanded = trimmed;
        if (trimmed.StartsWith('@') && !Shorthands.TryGetValue(trimmed, out expanded))
        {
            error = new CronError($"cron '{trimmed}' is not a known shorthand", $"shorthands: {string.Join(", ", Shorthands.Keys)}; or {FieldsHint}");
            return null;
        }

        var fields = expanded.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            error = new CronError(
                fields.Length == 0 ? "cron '' is empty" : $"cron '{trimmed}' has {fields.Length} fields, expected 5",
                fields.Length is 6 or 7 ? $"seconds and years (Quartz's extra fields) are not supported: {FieldsHint}" : FieldsHint);
            return null;
        }

        var parts = new bool[5][];
        CronField[] kinds = [CronField.Minute, CronField.Hour, CronField.Day, CronField.Month, CronField.Weekday];
        for (var i = 0; i < 5; i++)
        {
            if (kinds[i].Parse(fields[i], out var problem) is not { } values)
            {
                // A shorthand's fields are not in the text: only a written field has a place to point at.
                error = new CronError($"cron '{trimmed}': {problem.Message}", problem.Hint) { Offset = ReferenceEquals(expanded, trimmed) ? FieldOffset(trimmed, i) : null };
                return null;
            }

            parts[i] = values;
        }

        var (minute, hour, day, month, weekday) = (parts[0], parts[1], parts[2], parts[3], parts[4]);
        weekday[0] |= weekday[7];
        var quartz = DayExpressions(trimmed, fields, day, month, weekday[..7], out error);
        return quartz is null ? null : new CronSchedule(trimmed, quartz.Select(days =>
            $"0 {Quartz(minute, CronField.Minute)} {Quartz(hour, CronField.Hour)} {days.Day} {Quartz(month, CronField.Month)} {days.Weekday}").ToArray());
    }

    /// <summary>Where the <paramref name="index"/>-th whitespace-separated field of <paramref name="text"/> starts: "0 25 * * *", 1 → 2.</summary>
    private static int FieldOffset(string text, int index)
    {
        int at = 0;
        for (int field = 0; ; field++)
        {
            while (at < text.Length && char.IsWhiteSpace(text[at]))
            {
                at++;
            }

            if (field == index)
            {
                return at;
            }

            while (at < text.Length && !char.IsWhiteSpace(text[at]))
            {
                at++;
            }
        }
    }

    /// <summary>Whether a value cron cannot read is Quartz syntax: '?', 'L', 'W', '#' ("5L", "15W", "MON#1").</summary>
    public static bool IsQuartzOnly(string token) => token.Contains('?') || token.Contains('#') || QuartzDay().IsMatch(token);

    /// <summary>The hint for Quartz syntax in <paramref name="token"/>.</summary>
    public static string QuartzHint(string token) => token.Contains('?')
        ? "standard cron writes '*' for any value"
        : "standard cron has no 'L', 'W' or '#': list the values instead, e.g. '28-31' or '1-7'";

    /// <summary>The (day-of-month, day-of-week) pairs of the Quartz expressions; null with an error when the days cannot fire.</summary>
    private static List<(string Day, string Weekday)>? DayExpressions(string text, string[] fields, bool[] day, bool[] month, bool[] weekday, out CronError? error)
    {
        error = null;
        var (dayAll, weekdayAll) = (All(day, CronField.Day), All(weekday, CronField.Weekday));
        var dayCanFire = Enumerable.Range(1, 12).Any(m => month[m] && Enumerable.Range(1, DaysInMonth[m]).Any(d => day[d]));
        var dayPart = dayAll ? "*" : Join(day, 1, 31, v => v);
        var weekdayPart = Join(weekday, 0, 6, v => v + 1);
        if (fields[2].StartsWith('*') || fields[4].StartsWith('*'))
        {
            // cron: a day must match both fields; one of them has to match every day for Quartz to say it.
            if (weekdayAll)
            {
                if (!dayCanFire)
                {
                    error = new CronError($"cron '{text}' never fires: no month it names has day {fields[2]}", "check the day-of-month and month fields");
                    return null;
                }

                return [(dayPart, "?")];
            }

            if (dayAll)
            {
                return [("?", weekdayPart)];
            }

            error = new CronError($"cron '{text}': day-of-month '{fields[2]}' and day-of-week '{fields[4]}' would both have to match, which is not supported",
                "write '*' in one of the two day fields");
            return null;
        }

        // cron: neither begins with '*', so a day matching either fires.
        return dayCanFire ? [(dayPart, "?"), ("?", weekdayPart)] : [("?", weekdayPart)];
    }

    private static bool All(bool[] values, CronField field)
    {
        for (var v = field.Min; v <= Math.Min(field.Max, values.Length - 1); v++)
        {
            if (!values[v])
            {
                return false;
            }
        }

        return true;
    }

    private static string Quartz(bool[] values, CronField field) => All(values, field) ? "*" : Join(values, field.Min, field.Max, v => v);

    private static string Join(bool[] values, int from, int to, Func<int, int> map) =>
        string.Join(',', Enumerable.Range(from, to - from + 1).Where(v => values[v]).Select(map));

    [GeneratedRegex("^([0-9]{1,2}|[A-Za-z]{3})?(L|W|LW)$", RegexOptions.IgnoreCase)]
    private static partial Regex QuartzDay();
}
