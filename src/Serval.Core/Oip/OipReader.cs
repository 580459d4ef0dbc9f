using System.Text.Json;
using Serval.Core.Tensors;

namespace Serval.Core.Oip;

/// <summary>
/// Reads Open Inference Protocol v2 messages, requests and responses alike: JSON tensors (flat or
/// nested <c>data</c>) and Triton's binary tensor extension. Every error names the tensor, what was
/// expected and what came. A reader that knows the model passes a check that sees each tensor's
/// name, datatype and shape before its data is read.
/// </summary>
public static class OipReader
{
    /// <summary>Reads <paramref name="body"/>.</summary>
    /// <param name="body">The whole body: JSON, or a JSON header followed by binary data.</param>
    /// <param name="headerLength"><c>Inference-Header-Content-Length</c>, or null when the body is all JSON.</param>
    /// <param name="check">Called for each tensor entry before its data is read; throws <see cref="OipException"/> to refuse it.</param>
    /// <exception cref="OipException">The message is malformed; the message says where.</exception>
    public static OipMessage Read(ReadOnlyMemory<byte> body, int? headerLength, Action<OipTensorHeader>? check = null)
    {
        if (headerLength is { } h && (h <= 0 || h > body.Length))
        {
            throw new OipException($"{OipBinary.HeaderLengthName} is {h} but the body has {body.Length} bytes");
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
            throw new OipException($"malformed JSON: {e.Message}");
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new OipException("the message must be a JSON object with \"inputs\" or \"outputs\"");
            }

            int offset = 0;
            var requested = new List<OipRequestedOutput>();
            List<NamedTensor> inputs = ReadSection(root, "inputs", binary, ref offset, check, null);
            List<NamedTensor> outputs = ReadSection(root, "outputs", binary, ref offset, check, requested);
            if (offset != binary.Length)
            {
                throw new OipException($"the binary data holds {binary.Length} bytes but the tensors' binary_data_size add up to {offset}");
            }

            bool all = root.TryGetProperty("parameters", out JsonElement parameters) && parameters.ValueKind == JsonValueKind.Object
                && parameters.TryGetProperty("binary_data_output", out JsonElement flag) && flag.ValueKind == JsonValueKind.True;
            return new OipMessage(Text(root, "id"), Text(root, "model_name"), Text(root, "model_version"), inputs, outputs, requested, all);
        }
    }

    private static string? Text(JsonElement root, string property) =>
        root.TryGetProperty(property, out JsonElement e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;

    private static List<NamedTensor> ReadSection(JsonElement root, string section, ReadOnlyMemory<byte> binary, ref int offset, Action<OipTensorHeader>? check, List<OipRequestedOutput>? requested)
    {
        var tensors = new List<NamedTensor>();
        if (!root.TryGetProperty(section, out JsonElement list))
        {
            return tensors;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new OipException($"\"{section}\" must be an array");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonElement entry in list.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object)
            {
                throw new OipException($"each entry of \"{section}\" must be an object");
            }

            string name = entry.TryGetProperty("name", out JsonElement n) && n.ValueKind == JsonValueKind.String && n.GetString() is { Length: > 0 } s
                ? s
                : throw new OipException($"every entry of \"{section}\" needs a \"name\"");
            string where = OipTensorHeader.Describe(section, name);
            if (!seen.Add(name))
            {
                throw new OipException($"{where} is given twice");
            }

            if (!entry.TryGetProperty("datatype", out JsonElement d))
            {
                // Under a request's "outputs", an entry without a datatype names an output it wants back.
                if (requested is null)
                {
                    throw new OipException($"{where} needs a \"datatype\"");
                }

                bool binaryWanted = entry.TryGetProperty("parameters", out JsonElement p) && p.ValueKind == JsonValueKind.Object
                    && p.TryGetProperty("binary_data", out JsonElement b) && b.ValueKind == JsonValueKind.True;
                requested.Add(new OipRequestedOutput(name, binaryWanted));
                continue;
            }

            string datatype = d.ValueKind == JsonValueKind.String ? d.GetString()! : throw new OipException($"{where}: \"datatype\" must be a string");
            long[] shape = Shape(entry, where);
            check?.Invoke(new OipTensorHeader(section, name, datatype, shape));
            if (!TensorElementTypes.TryParseOipName(datatype, out TensorElementType type))
            {
                throw new OipException($"{where}: unknown datatype '{datatype}'");
            }

            tensors.Add(new NamedTensor(name, Data(entry, where, type, shape, binary, ref offset)));
        }

        return tensors;
    }

    private static long[] Shape(JsonElement entry, string where)
    {
        if (!entry.TryGetProperty("shape", out JsonElement dims) || dims.ValueKind != JsonValueKind.Array)
        {
            throw new OipException($"{where} needs a \"shape\" array");
        }

        var shape = new long[dims.GetArrayLength()];
        int i = 0;
        foreach (JsonElement dim in dims.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out long value) || value < 0)
            {
                throw new OipException($"{where}: shape must hold non-negative integers, got {dims.GetRawText()}");
            }

            shape[i++] = value;
        }

        return shape;
    }

    private static Tensor Data(JsonElement entry, string where, TensorElementType type, long[] shape, ReadOnlyMemory<byte> binary, ref int offset)
    {
        if (entry.TryGetProperty("parameters", out JsonElement parameters) && parameters.ValueKind == JsonValueKind.Object
            && parameters.TryGetProperty("binary_data_size", out JsonElement sizeElement))
        {
            if (sizeElement.ValueKind != JsonValueKind.Number || !sizeElement.TryGetInt64(out long size) || size < 0 || size > binary.Length - offset)
            {
                throw new OipException($"{where}: binary_data_size {sizeElement.GetRawText()} is more than the {binary.Length - offset} binary bytes left");
            }

            ReadOnlyMemory<byte> bytes = binary.Slice(offset, (int)size);
            offset += (int)size;
            return OipBinary.Read(where, type, shape, bytes);
        }

        if (!entry.TryGetProperty("data", out JsonElement data))
        {
            throw new OipException($"{where} has neither \"data\" nor parameters.binary_data_size");
        }

        return OipJson.Read(where, type, shape, data);
    }
}
