using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Serval.Cli.Tensors;

/// <summary>
/// Triton's binary tensor extension of the Open Inference Protocol: a JSON header, then the raw
/// data of every tensor whose <c>parameters</c> carry <c>binary_data_size</c>, in the order the
/// header lists them. The header's length travels in <c>Inference-Header-Content-Length</c>.
/// Pure: bytes in, bytes out.
/// </summary>
/// <example>
/// One FP32 input <c>x</c> of shape [1,2]: the body is
/// <c>{"inputs":[{"name":"x","datatype":"FP32","shape":[1,2],"parameters":{"binary_data_size":8}}]}</c>
/// followed by 8 bytes, and the header length is the length of the JSON text.
/// </example>
public static class OipBinary
{
    /// <summary>The HTTP header carrying the JSON header's length in bytes.</summary>
    public const string HeaderLengthName = "Inference-Header-Content-Length";

    /// <summary>The content type of a binary message.</summary>
    public const string ContentType = "application/octet-stream";

    /// <summary>An infer request with every input in binary form.</summary>
    /// <param name="inputs">The inputs.</param>
    /// <param name="binaryOutputs">Ask for every output in binary form (<c>"binary_data_output": true</c>).</param>
    /// <param name="id">The request id, if any.</param>
    public static OipEncoded EncodeRequest(IReadOnlyList<OipTensor> inputs, bool binaryOutputs = true, string? id = null)
    {
        var header = new JsonObject();
        if (id is not null)
        {
            header["id"] = id;
        }

        if (binaryOutputs)
        {
            header["parameters"] = new JsonObject { ["binary_data_output"] = true };
        }

        return Encode(header, "inputs", inputs);
    }

    /// <summary>An infer response with every output in binary form.</summary>
    /// <param name="modelName">The model (function) name.</param>
    /// <param name="modelVersion">The version that answered, if known.</param>
    /// <param name="outputs">The outputs.</param>
    /// <param name="id">The request's id, if it had one.</param>
    public static OipEncoded EncodeResponse(string modelName, string? modelVersion, IReadOnlyList<OipTensor> outputs, string? id = null)
    {
        var header = new JsonObject { ["model_name"] = modelName };
        if (modelVersion is not null)
        {
            header["model_version"] = modelVersion;
        }

        if (id is not null)
        {
            header["id"] = id;
        }

        return Encode(header, "outputs", outputs);
    }

    /// <summary>
    /// Adds <paramref name="tensors"/> under <paramref name="key"/> (<c>inputs</c> or <c>outputs</c>)
    /// of <paramref name="header"/>, each with its <c>binary_data_size</c>, and appends their data.
    /// </summary>
    /// <exception cref="ArgumentException">A tensor's data does not match its shape and datatype.</exception>
    public static OipEncoded Encode(JsonObject header, string key, IReadOnlyList<OipTensor> tensors)
    {
        var list = new JsonArray();
        long dataLength = 0;
        foreach (var tensor in tensors)
        {
            CheckDataLength(tensor);
            var shape = new JsonArray();
            foreach (long dim in tensor.Shape)
            {
                shape.Add(dim);
            }

            list.Add(new JsonObject
            {
                ["name"] = tensor.Name,
                ["datatype"] = tensor.Datatype,
                ["shape"] = shape,
                ["parameters"] = new JsonObject { ["binary_data_size"] = tensor.Data.Length },
            });
            dataLength += tensor.Data.Length;
        }

        header[key] = list;
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        byte[] body = new byte[checked(json.Length + dataLength)];
        json.CopyTo(body, 0);
        int offset = json.Length;
        foreach (var tensor in tensors)
        {
            tensor.Data.Span.CopyTo(body.AsSpan(offset));
            offset += tensor.Data.Length;
        }

        return new OipEncoded(body, json.Length);
    }

    /// <summary>
    /// Reads a request or a response. <paramref name="headerLength"/> is the value of
    /// <c>Inference-Header-Content-Length</c>, or null when the whole body is JSON. Tensors with
    /// JSON <c>data</c> are converted to raw form, so every returned tensor has its bytes.
    /// </summary>
    /// <exception cref="FormatException">The message is malformed; the message says where.</exception>
    public static OipMessage Decode(ReadOnlySpan<byte> body, int? headerLength)
    {
        int jsonLength = headerLength ?? body.Length;
        if (jsonLength <= 0 || jsonLength > body.Length)
        {
            throw new FormatException($"{HeaderLengthName} is {jsonLength} but the body has {body.Length} bytes");
        }

        JsonObject header;
        try
        {
            header = JsonNode.Parse(body[..jsonLength]) as JsonObject
                ?? throw new FormatException("the header is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new FormatException($"the header is not valid JSON: {e.Message}");
        }

        ReadOnlySpan<byte> binary = body[jsonLength..];
        var inputs = ReadTensors(header, "inputs", ref binary);
        var outputs = ReadTensors(header, "outputs", ref binary);
        if (binary.Length > 0)
        {
            throw new FormatException($"{binary.Length} bytes follow the last binary tensor");
        }

        return new OipMessage(header, inputs, outputs);
    }

    /// <summary>
    /// The message as plain JSON: a copy of the header where each tensor carries its elements in
    /// <c>data</c> (flat) and no <c>binary_data_size</c>.
    /// </summary>
    public static JsonObject ToJson(OipMessage message)
    {
        var json = (JsonObject)message.Header.DeepClone();
        Inline(json, "inputs", message.Inputs);
        Inline(json, "outputs", message.Outputs);
        return json;
    }

    private static List<OipTensor> ReadTensors(JsonObject header, string key, ref ReadOnlySpan<byte> binary)
    {
        var tensors = new List<OipTensor>();
        if (header[key] is not JsonArray list)
        {
            return tensors;
        }

        foreach (var node in list)
        {
            if (node is not JsonObject item)
            {
                throw new FormatException($"{key}: each entry must be an object");
            }

            // Under a request's "outputs", entries without a datatype only name the outputs wanted.
            if (key == "outputs" && item["datatype"] is null)
            {
                continue;
            }

            string name = Text(item, "name", key);
            string where = $"{key} '{name}'";
            string datatype = Text(item, "datatype", where);
            long[] shape = Shape(item, where);
            var tensor = new OipTensor(name, datatype, shape, ReadOnlyMemory<byte>.Empty);
            if (item["parameters"]?["binary_data_size"] is JsonNode sizeNode)
            {
                if (sizeNode is not JsonValue sizeValue || !sizeValue.TryGetValue(out long size))
                {
                    throw new FormatException($"{where}: binary_data_size must be an integer");
                }

                if (size < 0 || size > binary.Length)
                {
                    throw new FormatException($"{where}: binary_data_size {size} but {binary.Length} bytes are left");
                }

                tensor = tensor with { Data = binary[..(int)size].ToArray() };
                binary = binary[(int)size..];
                CheckData(tensor, where);
            }
            else if (item.ContainsKey("data"))
            {
                try
                {
                    tensor = tensor with { Data = OipData.FromJson(datatype, item["data"], tensor.ElementCount) };
                }
                catch (FormatException e)
                {
                    throw new FormatException($"{where}: {e.Message}");
                }
            }
            else
            {
                throw new FormatException($"{where}: neither data nor parameters.binary_data_size");
            }

            tensors.Add(tensor);
        }

        return tensors;
    }

    private static void Inline(JsonObject json, string key, IReadOnlyList<OipTensor> tensors)
    {
        if (json[key] is not JsonArray list)
        {
            return;
        }

        var byName = tensors.ToDictionary(t => t.Name);
        foreach (var item in list.OfType<JsonObject>())
        {
            if (item["name"]?.GetValue<string>() is not { } name || !byName.TryGetValue(name, out var tensor))
            {
                continue;
            }

            if (item["parameters"] is JsonObject parameters)
            {
                parameters.Remove("binary_data_size");
                if (parameters.Count == 0)
                {
                    item.Remove("parameters");
                }
            }

            item["data"] = OipData.ToJson(tensor);
        }
    }

    private static string Text(JsonObject item, string field, string where) =>
        item[field] is JsonValue value && value.TryGetValue(out string? text) && text.Length > 0
            ? text
            : throw new FormatException($"{where}: {field} is missing");

    private static long[] Shape(JsonObject item, string where)
    {
        if (item["shape"] is not JsonArray dims)
        {
            throw new FormatException($"{where}: shape is missing");
        }

        long[] shape = new long[dims.Count];
        for (int i = 0; i < shape.Length; i++)
        {
            if (dims[i] is not JsonValue v || !v.TryGetValue(out long dim) || dim < 0)
            {
                throw new FormatException($"{where}: shape {dims.ToJsonString()} must be non-negative integers");
            }

            shape[i] = dim;
        }

        return shape;
    }

    private static void CheckData(OipTensor tensor, string where)
    {
        if (tensor.Datatype == "BYTES")
        {
            int count = OipData.SplitBytes(tensor.Data.Span).Count;
            if (count != tensor.ElementCount)
            {
                throw new FormatException($"{where}: {count} BYTES elements, the shape needs {tensor.ElementCount}");
            }

            return;
        }

        if (!OipData.TryGetElementSize(tensor.Datatype, out int size))
        {
            throw new FormatException($"{where}: unknown datatype '{tensor.Datatype}'");
        }

        if (tensor.Data.Length != tensor.ElementCount * size)
        {
            throw new FormatException(
                $"{where}: shape [{string.Join(',', tensor.Shape)}] of {tensor.Datatype} needs {tensor.ElementCount * size} bytes, got {tensor.Data.Length}");
        }
    }

    private static void CheckDataLength(OipTensor tensor)
    {
        try
        {
            CheckData(tensor, tensor.Name);
        }
        catch (FormatException e)
        {
            throw new ArgumentException(e.Message, nameof(tensor));
        }
    }
}
