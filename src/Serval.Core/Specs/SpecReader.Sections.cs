using System.Text.RegularExpressions;

namespace Serval.Core.Specs;

/// <summary>The mappings: <c>instances</c>, <c>resources</c>, <c>models</c>, <c>env</c>, and the walk over a mapping's keys.</summary>
internal sealed partial class SpecReader
{
    private InstancesSpec ReadInstances(YamlNode node)
    {
        var result = new InstancesSpec();
        if (Section(node, "instances", "instances: { min: 0, max: 4, concurrency: 4, idle: 60s }") is not { } map)
        {
            return result;
        }

        YamlNode? minNode = null, maxNode = null;
        foreach (var (key, _, value) in KnownEntries(map, "instances", SpecKeys.Instances, []))
        {
            switch (key)
            {
                case "min" when WholeNumber(value, "instances.min", 0, int.MaxValue, "min is how many instances stay ready; 0 scales to zero") is { } min:
                    result = result with { Min = min };
                    minNode = value;
                    break;
                case "max" when WholeNumber(value, "instances.max", 1, int.MaxValue, "max is the most instances at once; 'min: 0' is what scales to zero") is { } max:
                    result = result with { Max = max };
                    maxNode = value;
                    break;
                case "concurrency" when WholeNumber(value, "instances.concurrency", 1, 1024, "concurrency is how many invocations one instance runs at once") is { } concurrency:
                    result = result with { Concurrency = concurrency };
                    break;
                case "idle" when ReadDuration(value, "instances.idle", TimeSpan.FromSeconds(1), null) is { } idle:
                    result = result with { Idle = idle };
                    break;
            }
        }

        if (minNode is not null && result.Min > result.Max)
        {
            var max = maxNode is null ? $"{result.Max}, the default" : $"{result.Max}";
            Error(minNode, "instances.min", $"must not be more than instances.max ({max}), got {result.Min}", "raise max or lower min");
        }

        return result;
    }

    private ResourcesSpec ReadResources(YamlNode node)
    {
        var result = new ResourcesSpec();
        if (Section(node, "resources", "resources: { cpu: 1, memory: 2Gi, gpu: 0 }") is not { } map)
        {
            return result;
        }

        foreach (var (key, _, value) in KnownEntries(map, "resources", SpecKeys.Resources, []))
        {
            switch (key)
            {
                case "cpu" when ReadCpu(value) is { } cpu:
                    result = result with { Cpu = cpu };
                    break;
                case "memory" when ReadMemory(value) is { } memory:
                    result = result with { MemoryMb = memory };
                    break;
                case "gpu" when Number(value, "resources.gpu", "GPUs per instance, e.g. 1, or 0.5 to share one") is { } gpu:
                    if (gpu < 0)
                    {
                        Error(value, "resources.gpu", $"must be at least 0, got {Show(value)}", "0 runs on the CPU only");
                    }
                    else
                    {
                        result = result with { Gpu = gpu };
                    }

                    break;
            }
        }

        return result;
    }

    private Dictionary<string, string> ReadModels(YamlNode node)
    {
        var models = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Section(node, "models", "models: { det: det.onnx, rec: rec.onnx }") is not { } map)
        {
            return models;
        }

        foreach (var (name, keyNode, value) in Entries(map, "models"))
        {
            var field = $"models.{name}";
            if (!ModelNamePattern().IsMatch(name))
            {
                Error(keyNode, field, $"a model's name must be letters, digits, '_' or '-', starting with a letter, got '{name}'", null);
            }
            else if (ReadPath(value, field, ".onnx", "model files are ONNX: export the model to .onnx") is { } path)
            {
                models[name] = path;
            }
        }

        return models;
    }

    private Dictionary<string, string> ReadEnv(YamlNode node)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Section(node, "env", "env: { NAME: value }") is not { } map)
        {
            return env;
        }

        foreach (var (name, keyNode, value) in Entries(map, "env"))
        {
            var field = $"env.{name}";
            if (!EnvNamePattern().IsMatch(name))
            {
                Error(keyNode, field, $"a variable's name must be letters, digits and '_', not starting with a digit, got '{name}'", null);
            }
            else if (value is YamlText { IsNull: true })
            {
                Error(value, field, "needs a value", $"write {name}: \"\" for an empty one");
            }
            else if (Text(value, field, "text") is { } text)
            {
                env[name] = text;
            }
        }

        return env;
    }

    /// <summary>A section's mapping; null (defaults) when it is empty, or after reporting that it is not a mapping.</summary>
    private YamlMap? Section(YamlNode node, string field, string example)
    {
        switch (node)
        {
            case YamlMap map:
                return map;
            case YamlText { IsNull: true }:
                return null;
            default:
                Error(node, field, $"must be a mapping, got {Describe(node)}", $"write it like {example}");
                return null;
        }
    }

    /// <summary>
    /// The entries of <paramref name="map"/> whose keys are in <paramref name="known"/>, after
    /// reporting unknown keys (with the nearest known one), keys of later features, and the rest of
    /// what <see cref="Entries"/> reports.
    /// </summary>
    private IEnumerable<(string Key, YamlNode KeyNode, YamlNode Value)> KnownEntries(
        YamlMap map, string section, IReadOnlyList<string> known, IReadOnlyList<string> future)
    {
        foreach (var entry in Entries(map, section))
        {
            var field = Path(section, entry.Key);
            if (known.Contains(entry.Key))
            {
                yield return entry;
            }
            else if (future.Contains(entry.Key))
            {
                Error(entry.KeyNode, field, "not supported yet", $"this version of Serval does not read '{entry.Key}': remove it to deploy");
            }
            else
            {
                Error(entry.KeyNode, field, "unknown key", SpecKeys.UnknownKeyHint(entry.Key, section, known));
            }
        }
    }

    /// <summary>
    /// The entries of <paramref name="map"/> with scalar keys, each key's position recorded, after
    /// reporting keys that are not words and keys given twice (only the first counts).
    /// </summary>
    private IEnumerable<(string Key, YamlNode KeyNode, YamlNode Value)> Entries(YamlMap map, string section)
    {
        var seen = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in map.Entries)
        {
            if (keyNode is not YamlText { IsNull: false } key)
            {
                Error(keyNode, section, $"a key must be a word, got {Describe(keyNode)}", null);
                continue;
            }

            var field = Path(section, key.Value);
            if (seen.TryGetValue(key.Value, out var first))
            {
                Error(keyNode, field, $"duplicate key, first given on line {first.Line}", "remove one of them");
                continue;
            }

            seen[key.Value] = keyNode;
            _lines[field] = keyNode.Line;
            _columns[field] = keyNode.Column;
            yield return (key.Value, keyNode, value);
        }
    }

    private static string Path(string section, string key) => section.Length == 0 ? key : $"{section}.{key}";

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]*$")]
    private static partial Regex ModelNamePattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvNamePattern();
}
