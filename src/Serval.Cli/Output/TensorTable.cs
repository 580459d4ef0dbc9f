using System.Buffers.Binary;
using Serval.Core.Tensors;
using Spectre.Console;

namespace Serval.Cli.Output;

/// <summary>Prints tensors as a table: name, datatype, shape, the first values, and min/max/argmax of long ones.</summary>
internal static class TensorTable
{
    public const int ShownValues = 8;

    public static Table Build(IReadOnlyList<NamedTensor> tensors)
    {
        var table = Tables.Create("output", "datatype", "shape", "values", "summary");
        foreach (var tensor in tensors)
        {
            table.AddTextRow(
                tensor.Name,
                tensor.Tensor.ElementType.ToOipName(),
                Formats.Shape(tensor.Tensor.Shape),
                Values(tensor.Tensor),
                Summary(tensor.Tensor));
        }

        return table;
    }

    /// <summary>"0.1, 0.2, 0.7" or "0.1, 0.2, ... (6625 values)".</summary>
    public static string Values(Tensor tensor)
    {
        List<string> shown;
        long count;
        if (ToDoubles(tensor) is { } numbers)
        {
            count = numbers.Length;
            shown = numbers.Take(ShownValues).Select(Formats.Number).ToList();
        }
        else
        {
            string[] strings = tensor.Strings ?? [];
            count = strings.Length;
            shown = strings.Take(ShownValues).Select(s => "\"" + s + "\"").ToList();
        }

        string text = string.Join(", ", shown);
        return count > ShownValues ? $"{text}, … ({count} values)" : text;
    }

    /// <summary>"min -1.2 · max 9.8 · argmax 41" for a numeric tensor longer than <see cref="ShownValues"/>; else empty.</summary>
    public static string Summary(Tensor tensor)
    {
        if (ToDoubles(tensor) is not { Length: > ShownValues } values)
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

    /// <summary>The elements as numbers (true → 1), for summaries; null for strings.</summary>
    public static double[]? ToDoubles(Tensor tensor)
    {
        TensorElementType type = tensor.ElementType;
        int size = type.SizeOf();
        if (type == TensorElementType.String || size == 0)
        {
            return null;
        }

        ReadOnlySpan<byte> data = tensor.Data.Span;
        double[] values = new double[data.Length / size];
        for (int i = 0; i < values.Length; i++)
        {
            ReadOnlySpan<byte> e = data.Slice(i * size, size);
            values[i] = type switch
            {
                TensorElementType.Bool => e[0] != 0 ? 1 : 0,
                TensorElementType.UInt8 => e[0],
                TensorElementType.Int8 => unchecked((sbyte)e[0]),
                TensorElementType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(e),
                TensorElementType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(e),
                TensorElementType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(e),
                TensorElementType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(e),
                TensorElementType.UInt64 => BinaryPrimitives.ReadUInt64LittleEndian(e),
                TensorElementType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(e),
                TensorElementType.Float16 => (double)BinaryPrimitives.ReadHalfLittleEndian(e),
                TensorElementType.BFloat16 => BitConverter.UInt32BitsToSingle((uint)BinaryPrimitives.ReadUInt16LittleEndian(e) << 16),
                TensorElementType.Float => BinaryPrimitives.ReadSingleLittleEndian(e),
                _ => BinaryPrimitives.ReadDoubleLittleEndian(e),
            };
        }

        return values;
    }
}
