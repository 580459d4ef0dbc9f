namespace Serval.Core.Specs;

/// <summary>The keys <c>serval.yaml</c> knows, and hints for the ones it does not.</summary>
internal static class SpecKeys
{
    public static readonly string[] Top =
        ["name", "runtime", "model", "models", "handler", "entry", "description", "instances", "resources", "timeout", "env", "schedule", "timezone", "batching", "plan", "routes", "async", "triggers", "release"];

    public static readonly string[] Instances = ["min", "max", "concurrency", "idle"];

    public static readonly string[] Resources = ["cpu", "memory", "gpu"];

    public static readonly string[] Async = ["retries", "maxAge", "onSuccess", "onFailure"];

    public static readonly string[] Batching = ["max", "delay", "buckets"];

    public static readonly string[] Plan = ["steps", "partial"];

    public static readonly string[] PlanStep = ["name", "function", "version", "map", "concurrency", "runs", "timeout"];

    public static readonly string[] Route = ["tid", "bid"];

    public static readonly string[] Release = ["steps", "interval", "maxErrorRate", "maxLatencyRatio", "minRequests", "bids", "sticky"];

    /// <summary>The keys of one <c>schedule</c> entry.</summary>
    public static readonly string[] ScheduleEntry = ["cron", "min"];

    /// <summary>The keys of one <c>triggers</c> entry.</summary>
    public static readonly string[] TriggerEntry = ["cron", "payload"];

    /// <summary>Top-level keys of features still to come: "not supported yet" rather than "unknown".</summary>
    public static readonly string[] Future =
        ["placement", "mounts", "command"];

    /// <summary>Words people write from other platforms' templates, and the key they mean.</summary>
    private static readonly Dictionary<string, string> Synonyms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["environment"] = "env",
        ["desc"] = "description",
        ["replicas"] = "instances",
        ["scaling"] = "instances",
        ["cores"] = "cpu",
        ["mem"] = "memory",
        ["tz"] = "timezone",
        ["cron"] = "schedule",
    };

    /// <summary>
    /// The hint for an unknown key in the section <paramref name="section"/> ("" for the top level):
    /// a near known key, the section the key belongs to, or the list of known keys.
    /// </summary>
    public static string UnknownKeyHint(string key, string section, IReadOnlyList<string> known)
    {
        if (Synonyms.TryGetValue(key, out var meant) && known.Contains(meant))
        {
            return $"did you mean '{meant}'?";
        }

        if (EditDistance.Nearest(key, known) is { } near)
        {
            return $"did you mean '{near}'?";
        }

        // A key written in the wrong section: "memory:" at the top level belongs under resources.
        foreach (var (other, keys) in Sections())
        {
            if (other != section && keys.Contains(key))
            {
                return other == ""
                    ? $"'{key}' is a top-level key, not part of '{section}'"
                    : $"'{key}' goes under '{other}', as in {other}: {{ {key}: ... }}";
            }
        }

        return $"known keys{(section == "" ? "" : $" of '{section}'")}: {string.Join(", ", known)}";
    }

    private static IEnumerable<(string Section, string[] Keys)> Sections()
    {
        yield return ("", Top);
        yield return ("instances", Instances);
        yield return ("resources", Resources);
        yield return ("async", Async);
        yield return ("batching", Batching);
        yield return ("plan", Plan);
        yield return ("release", Release);
    }
}
