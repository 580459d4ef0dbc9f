using System.Buffers.Binary;
using System.Text.Json;
using Serval.Cli.Api;
using Serval.Cli.Tensors;

namespace Serval.Cli.Commands;

/// <summary>
/// Turns <c>INPUT=@FILE</c> arguments into tensors. A shape not given with <c>--shape</c> comes
/// from the model's metadata (<c>GET /v2/models/NAME</c>), its one dynamic dimension worked out
/// from the file's size; a datatype not given is the model's, else FP32.
/// </summary>
internal static class InvokeInputs
{
    public static async Task<List<OipTensor>> BuildAsync(
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

        var tensors = new List<OipTensor>(files.Count);
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
            tensors.Add(datatype == "BYTES"
                ? new OipTensor(file.Name, datatype, given ?? [1], OneString(bytes))
                : new OipTensor(file.Name, datatype, TensorArguments.ResolveShape(file.Name, given, modelInput?.Shape, bytes.Length, ElementSize(datatype)), bytes));
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
        OipData.TryGetElementSize(datatype, out int size) ? size : throw new CliException($"unknown datatype {datatype}");

    // A whole file as one BYTES element: its length (4 bytes, little-endian), then its bytes.
    private static byte[] OneString(byte[] bytes)
    {
        byte[] data = new byte[4 + bytes.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(data, (uint)bytes.Length);
        bytes.CopyTo(data, 4);
        return data;
    }

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
