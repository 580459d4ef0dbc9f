using System.Globalization;

namespace Serval.Core.Specs;

/// <summary>Scalar values: text, numbers, durations, memory sizes and package paths, each with its range.</summary>
internal sealed partial class SpecReader
{
    /// <summary>A scalar's text; null after reporting a missing value or a list or mapping where <paramref name="what"/> goes.</summary>
    private string? Text(YamlNode node, string field, string what)
    {
        switch (node)
        {
            case YamlText { IsNull: true }:
                Error(node, field, "needs a value", null);
                return null;
            case YamlText text:
                return text.Value;
            default:
                Error(node, field, $"must be {what}, got {Describe(node)}", null);
                return null;
        }
    }

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    private int? WholeNumber(YamlNode node, string field, int min, int max, string hint)
    {
        if (Text(node, field, "a whole number") is not { } text)
        {
            return null;
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            Error(node, field, $"must be a whole number, got {Describe(node)}", hint);
            return null;
        }

        if (value < min || value > max)
        {
            Error(node, field, value < min ? $"must be at least {min}, got {text}" : $"must be at most {max}, got {text}", hint);
            return null;
        }

        return (int)value;
    }

    /// <summary>A finite number (<c>2</c>, <c>0.5</c>, <c>-1</c>); the caller checks its range.</summary>
    private double? Number(YamlNode node, string field, string hint)
    {
        if (Text(node, field, "a number") is not { } text)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            Error(node, field, $"must be a number, got {Describe(node)}", hint);
            return null;
        }

        return value;
    }

    /// <summary><c>resources.cpu</c>: cores in (0, 256].</summary>
    private double? ReadCpu(YamlNode node)
    {
        const string field = "resources.cpu";
        // Kubernetes writes half a core as "500m"; here that would read as minutes, so say what to write.
        var hint = node is YamlText { Value: [.., 'm'] } text && SpecUnits.TryParseAmount(text.Value[..^1], out var milli)
            ? $"cores as a number: '{text.Value}' is {(milli / 1000).ToString(CultureInfo.InvariantCulture)}"
            : "cores per instance as a number, e.g. 0.5, 1 or 4";
        if (Number(node, field, hint) is not { } cpu)
        {
            return null;
        }

        if (cpu <= 0 || cpu > 256)
        {
            Error(node, field, cpu <= 0 ? $"must be more than 0, got {Show(node)}" : $"must be at most 256, got {Show(node)}", hint);
            return null;
        }

        return cpu;
    }

    /// <summary><c>resources.memory</c>: MiB in [64Mi, 1Ti].</summary>
    private int? ReadMemory(YamlNode node)
    {
        const string field = "resources.memory";
        const int min = 64, max = 1 << 20;
        if (Text(node, field, "a memory size") is not { } text)
        {
            return null;
        }

        if (!SpecUnits.TryParseMemoryMb(text, out var mib))
        {
            var hint = text.EndsWith('B') || text.EndsWith('b')
                ? $"write the unit without 'B': {SpecUnits.MemoryExamples}"
                : $"write a size like {SpecUnits.MemoryExamples}";
            Error(node, field, $"must be a memory size, got {Describe(node)}", hint);
            return null;
        }

        if (mib < min || mib > max)
        {
            Error(node, field, mib < min ? $"must be at least 64Mi, got {text}" : $"must be at most 1Ti, got {text}",
                "memory per instance, e.g. 512Mi or 2Gi");
            return null;
        }

        return (int)mib;
    }

    /// <summary>A duration in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    private TimeSpan? ReadDuration(YamlNode node, string field, TimeSpan min, TimeSpan? max)
    {
        if (Text(node, field, "a duration") is not { } text)
        {
            return null;
        }

        if (!SpecUnits.TryParseDuration(text, out var duration))
        {
            Error(node, field, $"must be a duration, got {Describe(node)}", $"write it like {SpecUnits.DurationExamples}");
            return null;
        }

        if (duration < min)
        {
            Error(node, field, $"must be at least {SpecUnits.FormatDuration(min)}, got {text}", null);
            return null;
        }

        if (duration > max)
        {
            Error(node, field, $"must be at most {SpecUnits.FormatDuration(max.Value)}, got {text}", null);
            return null;
        }

        return duration;
    }

    /// <summary>A file inside the package whose name ends in <paramref name="extension"/>, normalised.</summary>
    private string? ReadPath(YamlNode node, string field, string extension, string extensionHint)
    {
        if (Text(node, field, "a file path") is not { } text)
        {
            return null;
        }

        if (PackagePaths.Check(text, out var path) is { } problem)
        {
            Error(node, field, $"{problem}, got '{text}'", "files are paths relative to serval.yaml, inside its folder, like 'models/model.onnx'");
            return null;
        }

        if (!path.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
        {
            Error(node, field, $"must name a {extension} file, got '{text}'", extensionHint);
            return null;
        }

        return path;
    }

    /// <summary>How an error shows a value it did not expect: <c>'abc'</c>, <c>a list</c>, <c>a mapping</c>, <c>nothing</c>.</summary>
    private static string Describe(YamlNode node) => node switch
    {
        YamlText { IsNull: true } => "nothing",
        YamlText text => $"'{Show(text)}'",
        YamlList => "a list",
        _ => "a mapping",
    };

    /// <summary>A scalar's text as written, cut to a readable length.</summary>
    private static string Show(YamlNode node) => node is YamlText { Value: var value }
        ? value.Length <= 40 ? value : value[..37] + "..."
        : Describe(node);
}
