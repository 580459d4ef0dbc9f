using Serval.Core.Scheduling;

namespace Serval.Core.Specs;

/// <summary><c>schedule</c> (cron → minimum instances) and <c>timezone</c>, the zone its crons are read in.</summary>
internal sealed partial class SpecReader
{
    private const string EntryExample = "- { cron: \"0 8 * * *\", min: 4 }";

    private List<(ScheduleEntry Entry, YamlNode MinNode, string Field)> ReadSchedule(YamlNode node)
    {
        var entries = new List<(ScheduleEntry, YamlNode, string)>();
        if (node is YamlText { IsNull: true })
        {
            return entries;
        }

        if (node is not YamlList list)
        {
            Error(node, "schedule", $"must be a list of {{ cron, min }} entries, got {Describe(node)}",
                $"write one entry a line under 'schedule:', like {EntryExample}");
            return entries;
        }

        var seen = new List<(CronSchedule Cron, int Line)>();
        for (var i = 0; i < list.Items.Count; i++)
        {
            var field = $"schedule[{i}]";
            if (list.Items[i] is not YamlMap map)
            {
                Error(list.Items[i], field, $"must be a mapping {{ cron, min }}, got {Describe(list.Items[i])}", $"write an entry like {EntryExample}");
                continue;
            }

            CronSchedule? cron = null;
            int? min = null;
            YamlNode? minNode = null;
            foreach (var (key, _, value) in KnownEntries(map, field, SpecKeys.ScheduleEntry, []))
            {
                if (key == "cron")
                {
                    cron = ReadCron(value, $"{field}.cron", seen);
                }
                else
                {
                    minNode = value;
                    min = WholeNumber(value, $"{field}.min", 0, int.MaxValue, "the instances kept ready from that time on");
                }
            }

            if (!_lines.ContainsKey($"{field}.cron"))
            {
                Error(map, $"{field}.cron", "required", "when the entry takes effect, in 5-field cron: 'cron: \"0 8 * * *\"' is 08:00 every day");
            }

            if (!_lines.ContainsKey($"{field}.min"))
            {
                Error(map, $"{field}.min", "required", "the instances kept ready from that time on, e.g. 'min: 4'");
            }

            if (cron is not null && min is { } given)
            {
                entries.Add((new ScheduleEntry(cron, given), minNode!, $"{field}.min"));
            }
        }

        return entries;
    }

    /// <summary>
    /// A cron expression; an error points at the wrong field itself (the column of "25" in
    /// <c>cron: "0 25 * * *"</c>). Same fire times as one in <paramref name="seen"/> are refused when given.
    /// </summary>
    private CronSchedule? ReadCron(YamlNode node, string field, List<(CronSchedule Cron, int Line)>? seen)
    {
        if (Text(node, field, "a cron expression") is not { } text)
        {
            return null;
        }

        if (CronSchedule.Parse(text, out var error) is not { } cron)
        {
            int column = node.Column;
            if (error!.Offset is { } offset && node is YamlText { Plain: var plain } && !text.Contains('\n'))
            {
                column += (plain ? 0 : 1) + (text.Length - text.TrimStart().Length) + offset;
            }

            _errors.Add(new SpecError(file, node.Line, column, field, error.Message, error.Hint));
            return null;
        }

        foreach (var (other, line) in seen ?? [])
        {
            if (other.QuartzExpressions.SequenceEqual(cron.QuartzExpressions))
            {
                Error(node, field, $"fires at the same times as '{other.Text}' on line {line}", "one min for each time: remove one of the two entries");
                return null;
            }
        }

        seen?.Add((cron, node.Line));
        return cron;
    }

    /// <summary>A schedule's minimum may not be more than <c>instances.max</c>, wherever in the file either is.</summary>
    private void CheckScheduleMins(List<(ScheduleEntry Entry, YamlNode MinNode, string Field)> schedule, InstancesSpec instances)
    {
        foreach (var (entry, minNode, field) in schedule)
        {
            if (entry.Min > instances.Max)
            {
                var max = _lines.ContainsKey("instances.max") ? $"{instances.Max}" : $"{instances.Max}, the default";
                Error(minNode, field, $"must not be more than instances.max ({max}), got {entry.Min}", "raise instances.max or lower this min");
            }
        }
    }

    private string? ReadTimeZone(YamlNode node)
    {
        if (Text(node, "timezone", "a time zone id") is not { } text)
        {
            return null;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(text).Id;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            Error(node, "timezone", $"unknown time zone '{Show(node)}'", TimeZoneHint(text));
            return null;
        }
    }

    /// <summary>"Berlin" → "Europe/Berlin", "Europe/Berln" → "Europe/Berlin", else examples.</summary>
    private static string TimeZoneHint(string text)
    {
        var ids = TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).ToList();
        var city = "/" + text.Trim().Replace(' ', '_');
        var near = ids.FirstOrDefault(id => id.EndsWith(city, StringComparison.OrdinalIgnoreCase))
            ?? (text.Length >= 5 ? EditDistance.Nearest(text, ids) : null);
        return near is not null
            ? $"did you mean '{near}'?"
            : "an IANA time zone id such as 'Europe/Berlin', 'America/New_York' or 'UTC' (the default)";
    }
}
