using System.Text;
using System.Text.Json;
using Serval.Cli.Api;
using Serval.Cli.Tensors;
using Serval.Core.Tensors;

namespace Serval.Cli.Commands;

/// <summary>
/// Turns <c>INPUT=@FILE</c> arguments into tensors. A shape not given with <c>--shape</c> comes
/// from the model's metadata (<c>GET /v2/models/NAME</c>), its one dynamic dimension worked out
/// from the file's size; a datatype not given is the model's, else FP32.
/// </summary>
internal static class InvokeInputs
{
    public static async Task<List<NamedTensor>> BuildAsync(
        ServalClient client, string modelPath, string[] inputArgs, string[] shapeArgs, string[] datatypeArgs, CancellationToken ct)
    {
        var files = inputArgs.Select(TensorArguments.ParseInput).ToList();
        var shapes = TensorArguments.ParseShapes(shapeArgs);
        var datatypes = TensorArguments.ParseDatatypes(datatypeArgs);
        CheckNames(shapes.Keys, files, "--shape");
        CheckNames(datatypes.Keys, files, "--datatype");
        foreach (var file in files.Where(f => !File.Exists(f.Path)))
        {
            throw new CliException($"{file.Name}: no such file {file.Path}");
        }

        Dictionary<string, (string Datatype, long[] Shape)>? model = null;
        if (files.Any(f => TensorArguments.Lookup(shapes, f.Name, files.Count) is null))
        {
            model = await ModelInputsAsync(client, modelPath, ct);
        }

        var tensors = new List<NamedTensor>(files.Count);
        foreach (var file in files)
        {
            (string Datatype, long[] Shape)? modelInput = null;
            if (model is not null)
            {
                modelInput = model.TryGetValue(file.Name, out var found)
                    ? found
                    : throw new CliException($"the model has no input '{file.Name}' (its inputs: {string.Join(", ", model.Keys)})");
            }

            string datatype = TensorArguments.Lookup(datatypes, file.Name, files.Count) ?? modelInput?.Datatype ?? "FP32";
            long[]? given = TensorArguments.Lookup(shapes, file.Name, files.Count);
            byte[] bytes = await File.ReadAllBytesAsync(file.Path, ct);
            TensorElementTypes.TryParseOipName(datatype, out TensorElementType type);
            tensors.Add(new NamedTensor(file.Name, type == TensorElementType.String
                ? OneString(file.Name, given ?? [1], bytes)
                : Raw(file.Name, type, TensorArguments.ResolveShape(file.Name, given, modelInput?.Shape, bytes.Length, ElementSize(datatype)), bytes)));
        }

        return tensors;
    }

    private static void CheckNames(IEnumerable<string> names, List<InputFile> files, string option)
    {
        foreach (string name in names)
        {
            if (name.Length > 0 && !files.Any(f => f.Name == name))
            {
                throw new CliException($"{option} {name}=...: no input {name}=@FILE was given");
            }
        }
    }

    private static int ElementSize(string datatype) =>
        TensorElementTypes.TryParseOipName(datatype, out TensorElementType type) && type.SizeOf() is > 0 and int size
            ? size
            : throw new CliException($"unknown datatype {datatype}");

    private static Tensor Raw(string name, TensorElementType type, long[] shape, byte[] bytes)
    {
        try
        {
            return Tensor.FromBytes(type, shape, bytes);
        }
        catch (ArgumentException e)
        {
            throw new CliException($"{name}: {e.Message}");
        }
    }

    // A whole file as one BYTES element (its text: the protocol's BYTES reach the model as strings).
    private static Tensor OneString(string name, long[] shape, byte[] bytes) =>
        Tensor.ElementCountOf(shape) == 1
            ? Tensor.FromStrings([Encoding.UTF8.GetString(bytes)], shape)
            : throw new CliException($"{name}: a file is one BYTES element, but the shape [{string.Join(",", shape)}] holds {Tensor.ElementCountOf(shape)}");

    private static async Task<Dictionary<string, (string, long[])>> ModelInputsAsync(ServalClient client, string modelPath, CancellationToken ct)
    {
        var root = await client.GetJsonAsync(modelPath, ct);
        var inputs = new Dictionary<string, (string, long[])>(StringComparer.Ordinal);
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("inputs", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var input in list.EnumerateArray())
            {
                if (input.TryGetProperty("name", out var n) && n.GetString() is { } inputName
                    && input.TryGetProperty("datatype", out var d) && d.GetString() is { } datatype
                    && input.TryGetProperty("shape", out var s) && s.ValueKind == JsonValueKind.Array)
                {
                    inputs[inputName] = (datatype, s.EnumerateArray().Select(x => x.GetInt64()).ToArray());
                }
            }
        }

        return inputs;
    }
}
