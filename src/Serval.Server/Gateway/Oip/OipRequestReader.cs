using System.Buffers.Binary;
using System.Text.Json;
using Serval.Core.Wire;
using Serval.Core.Tensors;

namespace Serval.Server.Gateway.Oip;

/// <summary>An OIP infer request, parsed and checked against the model's metadata.</summary>
/// <param name="Request">What goes to the instance.</param>
/// <param name="Id">The request's <c>id</c>, echoed in the answer.</param>
/// <param name="BinaryOutputs">Outputs to answer as binary data (the binary tensor extension).</param>
/// <param name="AllBinary">True when <c>binary_data_output</c> asked for every output in binary.</param>
public sealed record OipRequest(InferRequest Request, string? Id, HashSet<string> BinaryOutputs, bool AllBinary);

/// <summary>
/// Reads Open Inference Protocol v2 infer requests: JSON tensors (flat or nested <c>data</c>) and
/// Triton's binary tensor extension (<c>Inference-Header-Content-Length</c> bytes of JSON, then each
/// binary input's bytes in order). Every check names the input, what was expected and what came.
/// </summary>
public static class OipRequestReader
{
    /// <summary>Parses <paramref name="body"/>; a non-null error string is a 400 for the caller.</summary>
    public static (OipRequest? Request, string? Error) Read(ReadOnlyMemory<byte> body, int? headerLength, string model, IReadOnlyList<TensorInfo> inputs, IReadOnlyList<TensorInfo> outputs)
    {
        if (headerLength is { } h && (h < 0 || h > body.Length))
        {
            return (null, $"Inference-Header-Content-Length is {h} but the body has {body.Length} bytes");
        }

        ReadOnlyMemory<byte> json = headerLength is { } length ? body[..length] : body;
        ReadOnlyMemory<byte> binary = headerLength is { } start ? body[start..] : ReadOnlyMemory<byte>.Empty;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            return (null, $"malformed JSON: {e.Message}");
        }

        using (document)
        {
            try
            {
                return (Parse(document.RootElement, binary, model, inputs, outputs), null);
            }
            catch (OipException e)
            {
                return (null, e.Message);
            }
        }
    }

    private static OipRequest Parse(JsonElement root, ReadOnlyMemory<byte> binary, string model, IReadOnlyList<TensorInfo> modelInputs, IReadOnlyList<TensorInfo> modelOutputs)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new OipException("the request must be a JSON object with \"inputs\"");
        }

        if (!root.TryGetProperty("inputs", out JsonElement inputsElement) || inputsElement.ValueKind != JsonValueKind.Array)
        {
            throw new OipException("the request has no \"inputs\" array");
        }

        string? id = root.TryGetProperty("id", out JsonElement idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
        var inputs = new List<NamedTensor>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int offset = 0;
        foreach (JsonElement input in inputsElement.EnumerateArray())
        {
            NamedTensor tensor = ReadInput(input, binary, ref offset, model, modelInputs);
            if (!seen.Add(tensor.Name))
            {
                throw new OipException($"input '{tensor.Name}' is given twice");
            }

            inputs.Add(tensor);
        }

        if (offset != binary.Length)
        {
            throw new OipException($"the binary data holds {binary.Length} bytes but the inputs' binary_data_size add up to {offset}");
        }

        foreach (TensorInfo expected in modelInputs)
        {
            if (!seen.Contains(expected.Name))
            {
                throw new OipException($"input '{expected.Name}' is missing: model '{model}' needs {Describe(modelInputs)}");
            }
        }

        bool allBinary = root.TryGetProperty("parameters", out JsonElement parameters) && parameters.ValueKind == JsonValueKind.Object
            && parameters.TryGetProperty("binary_data_output", out JsonElement all) && all.ValueKind == JsonValueKind.True;
        var requested = new List<string>();
        var binaryOutputs = new HashSet<string>(StringComparer.Ordinal);
        if (root.TryGetProperty("outputs", out JsonElement outputsElement) && outputsElement.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement output in outputsElement.EnumerateArray())
            {
                string name = output.TryGetProperty("name", out JsonElement n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : throw new OipException("every requested output needs a \"name\"");
                if (!modelOutputs.Any(o => o.Name == name))
                {
                    throw new OipException($"unknown output '{name}': model '{model}' has outputs {string.Join(", ", modelOutputs.Select(o => o.Name))}");
                }

                requested.Add(name);
                if (output.TryGetProperty("parameters", out JsonElement p) && p.ValueKind == JsonValueKind.Object
                    && p.TryGetProperty("binary_data", out JsonElement b) && b.ValueKind == JsonValueKind.True)
                {
                    binaryOutputs.Add(name);
                }
            }
        }

        return new OipRequest(new InferRequest([.. inputs], [.. requested]), id, binaryOutputs, allBinary);
    }

    private static NamedTensor ReadInput(JsonElement input, ReadOnlyMemory<byte> binary, ref int offset, string model, IReadOnlyList<TensorInfo> modelInputs)
    {
        string name = input.TryGetProperty("name", out JsonElement n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : throw new OipException("every input needs a \"name\"");
        TensorInfo? expected = null;
        foreach (TensorInfo candidate in modelInputs)
        {
            if (candidate.Name == name)
            {
                expected = candidate;
            }
        }

        if (expected is null)
        {
            throw new OipException($"unknown input '{name}': model '{model}' has inputs {Describe(modelInputs)}");
        }

        string datatype = input.TryGetProperty("datatype", out JsonElement d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : throw new OipException($"input '{name}' needs a \"datatype\"");
        if (!TensorElementTypes.TryParseOipName(datatype, out TensorElementType type))
        {
            throw new OipException($"input '{name}': unknown datatype '{datatype}'");
        }

        if (datatype != expected.Datatype)
        {
            throw new OipException($"input '{name}': expected datatype {expected.Datatype}, got {datatype}");
        }

        if (!input.TryGetProperty("shape", out JsonElement shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw new OipException($"input '{name}' needs a \"shape\" array");
        }

        var shape = new long[shapeElement.GetArrayLength()];
        int i = 0;
        foreach (JsonElement dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out long value) || value < 0)
            {
                throw new OipException($"input '{name}': shape must hold non-negative integers, got {shapeElement.GetRawText()}");
            }

            shape[i++] = value;
        }

        if (!Accepts(expected.Shape, shape))
        {
            throw new OipException($"input '{name}': expected shape {ShapeText(expected.Shape)}, got {ShapeText(shape)}");
        }

        long count = Tensor.ElementCountOf(shape);
        if (input.TryGetProperty("parameters", out JsonElement parameters) && parameters.ValueKind == JsonValueKind.Object
            && parameters.TryGetProperty("binary_data_size", out JsonElement sizeElement))
        {
            if (!sizeElement.TryGetInt64(out long size) || size < 0 || size > binary.Length - offset)
            {
                throw new OipException($"input '{name}': binary_data_size {sizeElement.GetRawText()} is more than the {binary.Length - offset} binary bytes left");
            }

            ReadOnlyMemory<byte> bytes = binary.Slice(offset, (int)size);
            offset += (int)size;
            return new NamedTensor(name, FromBinary(name, type, shape, count, bytes));
        }

        if (!input.TryGetProperty("data", out JsonElement data))
        {
            throw new OipException($"input '{name}' has neither \"data\" nor parameters.binary_data_size");
        }

        return new NamedTensor(name, JsonTensorData.Read(name, type, shape, count, data));
    }

    private static Tensor FromBinary(string name, TensorElementType type, long[] shape, long count, ReadOnlyMemory<byte> bytes)
    {
        if (type != TensorElementType.String)
        {
            long expected = count * type.SizeOf();
            if (bytes.Length != expected)
            {
                throw new OipException($"input '{name}': shape {ShapeText(shape)} of {type.ToOipName()} needs {expected} bytes, got {bytes.Length}");
            }

            return Tensor.FromBytes(type, shape, bytes);
        }

        // BYTES in binary form: each element is a 4-byte little-endian length and its bytes.
        var values = new string[count];
        ReadOnlySpan<byte> span = bytes.Span;
        for (long e = 0; e < count; e++)
        {
            if (span.Length < 4)
            {
                throw new OipException($"input '{name}': binary BYTES data ends after {e} of {count} elements");
            }

            int length = BinaryPrimitives.ReadInt32LittleEndian(span);
            if (length < 0 || length > span.Length - 4)
            {
                throw new OipException($"input '{name}': binary BYTES element {e} claims {length} bytes, {span.Length - 4} left");
            }

            values[e] = System.Text.Encoding.UTF8.GetString(span.Slice(4, length));
            span = span[(4 + length)..];
        }

        if (span.Length != 0)
        {
            throw new OipException($"input '{name}': {span.Length} bytes left after {count} BYTES elements");
        }

        return Tensor.FromStrings(values, shape);
    }

    /// <summary>True when <paramref name="shape"/> (all non-negative) has the rank of <paramref name="expected"/> and its fixed dimensions.</summary>
    internal static bool Accepts(long[] expected, long[] shape)
    {
        if (expected.Length != shape.Length)
        {
            return false;
        }

        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0 || (expected[i] >= 0 && expected[i] != shape[i]))
            {
                return false;
            }
        }

        return true;
    }

    internal static string ShapeText(long[] shape) => "[" + string.Join(",", shape) + "]";

    private static string Describe(IReadOnlyList<TensorInfo> inputs) =>
        string.Join(", ", inputs.Select(i => $"{i.Name} ({i.Datatype} {ShapeText(i.Shape)})"));
}

/// <summary>A request the protocol cannot take: its message is the 400's <c>error</c>.</summary>
public sealed class OipException(string message) : Exception(message);
