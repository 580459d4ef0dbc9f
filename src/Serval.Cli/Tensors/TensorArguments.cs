using System.Globalization;

namespace Serval.Cli.Tensors;

/// <summary>An input given on the command line as <c>INPUT=@FILE</c>.</summary>
internal sealed record InputFile(string Name, string Path);

/// <summary>Parses <c>INPUT=@FILE</c>, <c>--shape INPUT=1,3,48,320</c> and <c>--datatype INPUT=FP32</c>; works out shapes.</summary>
internal static class TensorArguments
{
    /// <summary>The datatypes of the Open Inference Protocol.</summary>
    public static IReadOnlyList<string> Datatypes { get; } =
        ["BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "BF16", "FP32", "FP64", "BYTES"];

    /// <summary><c>x=@img.bin</c> → (x, img.bin).</summary>
    public static InputFile ParseInput(string argument)
    {
        int at = argument.IndexOf("=@", StringComparison.Ordinal);
        if (at <= 0 || at + 2 == argument.Length)
        {
            throw new CliException($"'{argument}': give an input as INPUT=@FILE (a raw little-endian tensor file)");
        }

        return new InputFile(argument[..at], argument[(at + 2)..]);
    }

    /// <summary>
    /// <c>x=1,3,48,320</c> → x: [1,3,48,320]. A value without a name (<c>1,3,48,320</c>) is keyed
    /// by the empty string and applies when there is one input.
    /// </summary>
    public static Dictionary<string, long[]> ParseShapes(IEnumerable<string> values)
    {
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (string value in values)
        {
            var (name, dims) = SplitNamed(value);
            long[] shape = [];
            if (dims.Length > 0)
            {
                string[] parts = dims.Split(',');
                shape = new long[parts.Length];
                for (int i = 0; i < parts.Length; i++)
                {
                    if (!long.TryParse(parts[i].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]))
                    {
                        throw new CliException($"--shape {value}: dimensions are non-negative integers separated by commas (x=1,3,48,320)");
                    }
                }
            }

            shapes[name] = shape;
        }

        return shapes;
    }

    /// <summary><c>x=fp32</c> → x: FP32, checked against the protocol's datatypes.</summary>
    public static Dictionary<string, string> ParseDatatypes(IEnumerable<string> values)
    {
        var datatypes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string value in values)
        {
            var (name, datatype) = SplitNamed(value);
            datatype = datatype.Trim().ToUpperInvariant();
            if (!Datatypes.Contains(datatype))
            {
                throw new CliException($"--datatype {value}: '{datatype}' is not one of {string.Join(", ", Datatypes)}");
            }

            datatypes[name] = datatype;
        }

        return datatypes;
    }

    /// <summary>The value given for <paramref name="input"/>, or the unnamed one when it is the only input.</summary>
    public static T? Lookup<T>(Dictionary<string, T> values, string input, int inputCount) where T : class =>
        values.TryGetValue(input, out var named) ? named
        : inputCount == 1 && values.TryGetValue("", out var unnamed) ? unnamed
        : null;

    /// <summary>
    /// The shape of an input read from a file of <paramref name="fileBytes"/> bytes: the one given,
    /// checked against the size; else the model's, its one dynamic dimension (-1) worked out from the
    /// size. Model [-1,3,48,192], FP32 file of 221184 bytes → 221184 / (3·48·192·4) = 2 → [2,3,48,192].
    /// </summary>
    public static long[] ResolveShape(string input, long[]? given, IReadOnlyList<long>? modelShape, long fileBytes, int elementSize)
    {
        if (given is not null)
        {
            long needed = Product(given) * elementSize;
            if (needed != fileBytes)
            {
                throw new CliException(
                    $"{input}: shape [{string.Join(',', given)}] needs {needed} bytes at {elementSize} per element, the file has {fileBytes}");
            }

            return given;
        }

        if (modelShape is null)
        {
            throw new CliException($"{input}: give its shape with --shape {input}=D1,D2,...");
        }

        int dynamic = modelShape.Count(d => d < 0);
        if (dynamic > 1)
        {
            throw new CliException(
                $"{input}: the model's shape [{string.Join(',', modelShape)}] has {dynamic} dynamic dimensions: give --shape {input}=D1,D2,...");
        }

        long fixedBytes = Product(modelShape.Where(d => d >= 0)) * elementSize;
        long[] shape = modelShape.ToArray();
        if (dynamic == 0 ? fixedBytes != fileBytes : fixedBytes == 0 || fileBytes % fixedBytes != 0)
        {
            throw new CliException(
                $"{input}: a file of {fileBytes} bytes does not fit the model's shape [{string.Join(',', modelShape)}] at {elementSize} bytes per element");
        }

        if (dynamic == 1)
        {
            shape[Array.FindIndex(shape, d => d < 0)] = fileBytes / fixedBytes;
        }

        return shape;
    }

    private static (string Name, string Value) SplitNamed(string value)
    {
        int eq = value.IndexOf('=');
        return eq < 0 ? ("", value) : (value[..eq], value[(eq + 1)..]);
    }

    private static long Product(IEnumerable<long> dims)
    {
        long product = 1;
        foreach (long d in dims)
        {
            product *= d;
        }

        return product;
    }
}
