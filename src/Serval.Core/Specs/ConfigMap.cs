using System.Globalization;

namespace Serval.Core.Specs;

/// <summary>
/// A mapping of a platform configuration file (alert rules, the price sheet) read key by key: every
/// problem is collected with its file, line and column (<c>alerts.yaml:4:5: rules[0].above: ...</c>),
/// and keys nobody asked for are reported as unknown with the known ones listed.
/// </summary>
internal sealed class ConfigMap
{
    private readonly string _file;
    private readonly string _path;
    private readonly YamlMap _map;
    private readonly List<string> _errors;
    private readonly HashSet<string> _asked = new(StringComparer.Ordinal);

    public ConfigMap(string file, string path, YamlMap map, List<string> errors)
    {
        _file = file;
        _path = path;
        _map = map;
        _errors = errors;
    }

    /// <summary>Reads <paramref name="text"/>'s one document as a mapping; null (with an error) when it is not one.</summary>
    public static ConfigMap? Load(string file, string text, List<string> errors)
    {
        List<YamlDocument> documents;
        try
        {
            documents = YamlTree.Load(text);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            errors.Add($"{file}:{e.Start.Line}:{e.Start.Column}: {e.Message}");
            return null;
        }

        if (documents.Count != 1 || documents[0].Root is not YamlMap map)
        {
            errors.Add($"{file}:1:1: expected one mapping of keys (YAML or JSON)");
            return null;
        }

        return new ConfigMap(file, "", map, errors);
    }

    /// <summary>The value of <paramref name="key"/>, or null when absent.</summary>
    public YamlNode? Node(string key)
    {
        _asked.Add(key);
        foreach (var (k, v) in _map.Entries)
        {
            if (k is YamlText t && t.Value == key)
            {
                return v is YamlText { IsNull: true } ? null : v;
            }
        }

        return null;
    }

    /// <summary>Records an error at <paramref name="node"/> for <paramref name="key"/>.</summary>
    public void Error(YamlNode node, string key, string message) =>
        _errors.Add($"{_file}:{node.Line}:{node.Column}: {Name(key)}: {message}");

    /// <summary>Records an error at the map itself.</summary>
    public void Error(string key, string message) =>
        _errors.Add($"{_file}:{_map.Line}:{_map.Column}: {Name(key)}: {message}");

    /// <summary>A text value.</summary>
    public string? Text(string key)
    {
        switch (Node(key))
        {
            case null:
                return null;
            case YamlText t:
                return t.Value;
            case var other:
                Error(other, key, "expected a single value");
                return null;
        }
    }

    /// <summary>A non-negative number, or <paramref name="fallback"/> when absent.</summary>
    public decimal Decimal(string key, decimal fallback)
    {
        if (Node(key) is not { } node)
        {
            return fallback;
        }

        if (node is YamlText t && decimal.TryParse(t.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal value) && value >= 0)
        {
            return value;
        }

        Error(node, key, $"expected a number of at least 0, got '{(node as YamlText)?.Value}'");
        return fallback;
    }

    /// <summary>A number, or <paramref name="fallback"/> when absent.</summary>
    public double Double(string key, double fallback, double min = double.MinValue)
    {
        if (Node(key) is not { } node)
        {
            return fallback;
        }

        if (node is YamlText t && double.TryParse(t.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value) && value >= min)
        {
            return value;
        }

        Error(node, key, $"expected a number{(min > double.MinValue ? $" of at least {min.ToString(CultureInfo.InvariantCulture)}" : "")}, got '{(node as YamlText)?.Value}'");
        return fallback;
    }

    /// <summary>A duration (<see cref="SpecUnits.DurationExamples"/>), or <paramref name="fallback"/> when absent.</summary>
    public TimeSpan Duration(string key, TimeSpan fallback)
    {
        if (Node(key) is not { } node)
        {
            return fallback;
        }

        if (node is YamlText t && SpecUnits.TryParseDuration(t.Value, out TimeSpan value))
        {
            return value;
        }

        Error(node, key, $"expected a duration ({SpecUnits.DurationExamples}), got '{(node as YamlText)?.Value}'");
        return fallback;
    }

    /// <summary>A nested mapping, or null when absent (or not a mapping: an error).</summary>
    public ConfigMap? Map(string key)
    {
        switch (Node(key))
        {
            case null:
                return null;
            case YamlMap map:
                return new ConfigMap(_file, Name(key), map, _errors);
            case var other:
                Error(other, key, "expected a mapping of keys");
                return null;
        }
    }

    /// <summary>A list's items, empty when absent.</summary>
    public IReadOnlyList<YamlNode> List(string key)
    {
        switch (Node(key))
        {
            case null:
                return [];
            case YamlList list:
                return list.Items;
            case var other:
                Error(other, key, "expected a list");
                return [];
        }
    }

    /// <summary>An item of a list as a mapping, named <c>key[index]</c>; null (with an error) when it is not one.</summary>
    public ConfigMap? Item(string key, int index, YamlNode item)
    {
        if (item is YamlMap map)
        {
            return new ConfigMap(_file, $"{Name(key)}[{index}]", map, _errors);
        }

        _errors.Add($"{_file}:{item.Line}:{item.Column}: {Name(key)}[{index}]: expected a mapping of keys");
        return null;
    }

    /// <summary>An item of a list as text; null (with an error) when it is not one.</summary>
    public string? ItemText(string key, int index, YamlNode item)
    {
        if (item is YamlText t && !t.IsNull)
        {
            return t.Value;
        }

        _errors.Add($"{_file}:{item.Line}:{item.Column}: {Name(key)}[{index}]: expected a single value");
        return null;
    }

    /// <summary>Reports every key not asked for, naming the known ones (call after reading).</summary>
    public void RejectUnknown()
    {
        foreach (var (k, _) in _map.Entries)
        {
            string name = (k as YamlText)?.Value ?? "?";
            if (!_asked.Contains(name))
            {
                _errors.Add($"{_file}:{k.Line}:{k.Column}: {Name(name)}: unknown key (known: {string.Join(", ", _asked.Order(StringComparer.Ordinal))})");
            }
        }
    }

    private string Name(string key) => _path.Length == 0 ? key : $"{_path}.{key}";
}
