using System.Text;
using Serval.Cli.Tensors;
using Spectre.Console;

namespace Serval.Cli.Output;

/// <summary>Prints tensors as a table: name, datatype, shape, the first values, and min/max/argmax of long ones.</summary>
internal static class TensorTable
{
    public const int ShownValues = 8;

    public static Table Build(IReadOnlyList<OipTensor> tensors)
    {
        var table = Tables.Create("output", "datatype", "shape", "values", "summary");
        foreach (var tensor in tensors)
        {
            table.AddTextRow(
                tensor.Name,
                tensor.Datatype,
                Formats.Shape(tensor.Shape),
                Values(tensor),
                Summary(tensor));
        }

        return table;
    }

    /// <summary>"0.1, 0.2, 0.7" or "0.1, 0.2, ... (6625 values)".</summary>
    public static string Values(OipTensor tensor)
    {
        List<string> shown;
        long count;
        if (OipData.ToDoubles(tensor) is { } numbers)
        {
            count = numbers.Length;
            shown = numbers.Take(ShownValues).Select(Formats.Number).ToList();
        }
        else
        {
            var strings = OipData.SplitBytes(tensor.Data.Span);
            count = strings.Count;
            shown = strings.Take(ShownValues).Select(b => "\"" + Encoding.UTF8.GetString(b) + "\"").ToList();
        }

        string text = string.Join(", ", shown);
        return count > ShownValues ? $"{text}, … ({count} values)" : text;
    }

    /// <summary>"min -1.2 · max 9.8 · argmax 41" for a numeric tensor longer than <see cref="ShownValues"/>; else empty.</summary>
    public static string Summary(OipTensor tensor)
    {
        if (OipData.ToDoubles(tensor) is not { Length: > ShownValues } values)
        {
            return "";
        }

        int argmax = 0;
        double min = values[0];
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[argmax])
            {
                argmax = i;
            }

            min = Math.Min(min, values[i]);
        }

        return $"min {Formats.Number(min)} · max {Formats.Number(values[argmax])} · argmax {argmax}";
    }
}
