using System.Text.RegularExpressions;
using Serval.Core.Batching;

namespace Serval.Core.Specs;

/// <summary><c>batching</c>, <c>plan</c> (steps over functions) and <c>routes</c> (bid/tid → this spec).</summary>
internal sealed partial class SpecReader
{
    private const string StepExample = "- { name: recognize, function: ocr-rec, map: true }";

    /// <summary>Whether <c>batching.max</c> was written; without it, a batch is as large as <c>instances.concurrency</c>.</summary>
    private bool _batchingMaxGiven;

    private BatchingOptions? ReadBatching(YamlNode node)
    {
        if (Section(node, "batching", "batching: { max: 16, delay: 5ms }") is not { } map)
        {
            return null;
        }

        var result = new BatchingOptions();
        foreach (var (key, _, value) in KnownEntries(map, "batching", SpecKeys.Batching, []))
        {
            switch (key)
            {
                case "max" when WholeNumber(value, "batching.max", 1, 1024, "max is the most invocations one batch holds") is { } max:
                    result = result with { Max = max };
                    _batchingMaxGiven = true;
                    break;
                case "delay" when ReadDuration(value, "batching.delay", TimeSpan.Zero, TimeSpan.FromSeconds(10)) is { } delay:
                    result = result with { Delay = delay };
                    break;
                case "buckets" when ReadBuckets(value) is { } buckets:
                    result = result with { WidthBuckets = buckets };
                    break;
            }
        }

        return result;
    }

    private List<int>? ReadBuckets(YamlNode node)
    {
        const string hint = "buckets are the widths batches are padded to, ascending, like [64, 128, 256, 512]";
        if (node is not YamlList { Items.Count: > 0 and <= BatchingOptions.MaxBuckets } list)
        {
            Error(node, "batching.buckets", $"must be a list of 1 to {BatchingOptions.MaxBuckets} widths, got {Describe(node)}", hint);
            return null;
        }

        var buckets = new List<int>();
        foreach (YamlNode item in list.Items)
        {
            if (WholeNumber(item, "batching.buckets", 1, 1 << 20, hint) is not { } width)
            {
                return null;
            }

            if (buckets.Count > 0 && width <= buckets[^1])
            {
                Error(item, "batching.buckets", $"must be ascending, got {width} after {buckets[^1]}", hint);
                return null;
            }

            buckets.Add(width);
        }

        return buckets;
    }

    private PlanSpec? ReadPlan(YamlNode node)
    {
        if (Section(node, "plan", $"plan: {{ steps: [ {StepExample[2..]} ] }}") is not { } map)
        {
            return null;
        }

        List<PlanStep>? steps = null;
        var partial = false;
        YamlNode? stepsNode = null;
        foreach (var (key, keyNode, value) in KnownEntries(map, "plan", SpecKeys.Plan, []))
        {
            switch (key)
            {
                case "steps":
                    steps = ReadSteps(value);
                    stepsNode = keyNode;
                    break;
                case "partial":
                    partial = ReadBool(value, "plan.partial") ?? false;
                    break;
            }
        }

        if (stepsNode is null)
        {
            Error(map, "plan.steps", "required: the steps of the plan", $"add 'steps:' with one step a line, like {StepExample}");
            return null;
        }

        return steps is null ? null : new PlanSpec { Steps = steps, Partial = partial };
    }

    private List<PlanStep>? ReadSteps(YamlNode node)
    {
        if (node is not YamlList { Items.Count: > 0 } list)
        {
            Error(node, "plan.steps", $"must be a list of steps, got {Describe(node)}", $"write one step a line, like {StepExample}");
            return null;
        }

        var steps = new List<PlanStep>();
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        var errors = _errors.Count;
        for (var i = 0; i < list.Items.Count; i++)
        {
            var field = $"plan.steps[{i}]";
            if (list.Items[i] is not YamlMap map)
            {
                Error(list.Items[i], field, $"must be a mapping, got {Describe(list.Items[i])}", $"write a step like {StepExample}");
                continue;
            }

            if (ReadStep(map, field, i) is not { } step)
            {
                continue;
            }

            if (names.TryGetValue(step.Name, out var first))
            {
                Error(map, $"{field}.name", $"step '{step.Name}' is named twice (first as step {first})", "give each step its own name");
                continue;
            }

            names[step.Name] = i;
            steps.Add(step);
        }

        return _errors.Count == errors ? steps : null;
    }

    private PlanStep? ReadStep(YamlMap map, string field, int index)
    {
        string? name = null, function = null, version = null;
        bool map_ = false;
        int? concurrency = null;
        var runs = StepTarget.Cpu;
        TimeSpan? timeout = null;
        YamlNode? mapNode = null, concurrencyNode = null;
        foreach (var (key, keyNode, value) in KnownEntries(map, field, SpecKeys.PlanStep, []))
        {
            switch (key)
            {
                case "name": name = ReadWord(value, $"{field}.name", "a step's name"); break;
                case "function": function = ReadFunctionRef(value, $"{field}.function"); break;
                case "version": version = ReadWord(value, $"{field}.version", "a version number or alias"); break;
                case "map":
                    map_ = ReadBool(value, $"{field}.map") ?? false;
                    mapNode = keyNode;
                    break;
                case "concurrency":
                    concurrency = WholeNumber(value, $"{field}.concurrency", 1, 1024, "the most items of this step in flight at once");
                    concurrencyNode = keyNode;
                    break;
                case "runs": runs = ReadTarget(value, $"{field}.runs") ?? runs; break;
                case "timeout": timeout = ReadDuration(value, $"{field}.timeout", TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1)); break;
            }
        }

        if (function is null && !map.Entries.Any(e => e.Key is YamlText { Value: "function" }))
        {
            Error(map, $"{field}.function", "required: the function this step calls", $"write a step like {StepExample}");
        }

        if (map_ && index == 0)
        {
            Error(mapNode!, $"{field}.map", "the first step has nothing to map over", "map fans out over the list the step before answers; add a step that produces it first");
        }

        if (concurrency is not null && !map_)
        {
            Error(concurrencyNode!, $"{field}.concurrency", "only a map step has a concurrency", "add 'map: true', or remove it");
        }

        if (function is null)
        {
            return null;
        }

        return new PlanStep
        {
            Name = name ?? function,
            Function = function,
            Version = version,
            Map = map_,
            Concurrency = concurrency ?? 16,
            Runs = runs,
            Timeout = timeout,
        };
    }

    private List<RouteSpec> ReadRoutes(YamlNode node)
    {
        const string example = "- { tid: ocr, bid: acme }";
        var routes = new List<RouteSpec>();
        if (node is YamlText { IsNull: true })
        {
            return routes;
        }

        if (node is not YamlList list)
        {
            Error(node, "routes", $"must be a list of {{ tid, bid }} entries, got {Describe(node)}", $"write one route a line, like {example}");
            return routes;
        }

        for (var i = 0; i < list.Items.Count; i++)
        {
            var field = $"routes[{i}]";
            if (list.Items[i] is not YamlMap map)
            {
                Error(list.Items[i], field, $"must be a mapping {{ tid, bid }}, got {Describe(list.Items[i])}", $"write a route like {example}");
                continue;
            }

            string? tid = null, bid = null;
            foreach (var (key, _, value) in KnownEntries(map, field, SpecKeys.Route, []))
            {
                if (key == "tid")
                {
                    tid = ReadWord(value, $"{field}.tid", "a task type");
                }
                else
                {
                    bid = ReadWord(value, $"{field}.bid", "a business id");
                }
            }

            if (tid is null)
            {
                if (!map.Entries.Any(e => e.Key is YamlText { Value: "tid" }))
                {
                    Error(map, $"{field}.tid", "required: the task type this route serves", $"write a route like {example}");
                }

                continue;
            }

            var route = new RouteSpec(tid, bid);
            if (routes.Contains(route))
            {
                Error(map, field, $"the route tid '{tid}'{(bid is null ? "" : $", bid '{bid}'")} is given twice", "remove one of them");
                continue;
            }

            routes.Add(route);
        }

        return routes;
    }

    /// <summary>An identifier: letters, digits, '_', '-', '.', at most 64 characters.</summary>
    private string? ReadWord(YamlNode node, string field, string what)
    {
        if (Text(node, field, what) is not { } text)
        {
            return null;
        }

        if (!WordPattern().IsMatch(text))
        {
            Error(node, field, $"{what} must be letters, digits, '_', '-' or '.', at most 64, got '{Show(node)}'", null);
            return null;
        }

        return text;
    }

    private string? ReadFunctionRef(YamlNode node, string field)
    {
        if (Text(node, field, "a function's name") is not { } text)
        {
            return null;
        }

        if (!NamePattern().IsMatch(text))
        {
            Error(node, field, $"must name a function (lower-case letters, digits and '-'), got '{Show(node)}'", null);
            return null;
        }

        return text;
    }

    private bool? ReadBool(YamlNode node, string field)
    {
        switch (Text(node, field, "true or false"))
        {
            case null:
                return null;
            case "true" or "True" or "TRUE" or "yes":
                return true;
            case "false" or "False" or "FALSE" or "no":
                return false;
            default:
                Error(node, field, $"must be true or false, got {Describe(node)}", null);
                return null;
        }
    }

    private StepTarget? ReadTarget(YamlNode node, string field)
    {
        switch (Text(node, field, "'cpu' or 'gpu'"))
        {
            case null:
                return null;
            case "cpu":
                return StepTarget.Cpu;
            case "gpu":
                return StepTarget.Gpu;
            default:
                Error(node, field, $"must be 'cpu' or 'gpu', got {Describe(node)}", "runs names the kind of node the step's function runs on");
                return null;
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex WordPattern();
}
