using Serval.Core.Oip;
using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Serval.Core.Wire;
using Serval.Core.Tensors;
using Serval.Server.Functions;
using Serval.Server.Gateway.Oip;

namespace Serval.Server.Gateway;

/// <summary>
/// Adapts the plain endpoints to a one-input ONNX model: the raw body is the input's little-endian
/// elements (shape from <c>X-Serval-Shape</c>, or the model's when it is fixed); <c>/predict</c>
/// takes <c>{"ndarray": nested arrays}</c> or <c>{"jsonData": "&lt;base64 of the raw elements&gt;", "shape": [...]}</c>.
/// </summary>
public static class OnnxAdapter
{
    /// <summary>An infer request from a raw body.</summary>
    public static (InferRequest? Request, string? Error) FromRaw(ReadOnlyMemory<byte> body, IHeaderDictionary headers, DeployedVersion version)
    {
        if (SingleInput(version, out TensorInfo? input) is { } problem)
        {
            return (null, problem);
        }

        long[]? shape = null;
        if (headers.TryGetValue("X-Serval-Shape", out var shapeHeader))
        {
            shape = ParseShape(shapeHeader.ToString());
            if (shape is null)
            {
                return (null, $"X-Serval-Shape must be comma-separated non-negative integers like 1,3,48,320, got '{shapeHeader}'");
            }
        }

        return Build(input!, shape, body, version);
    }

    /// <summary>An infer request from a <c>/predict</c> JSON body.</summary>
    public static (InferRequest? Request, string? Error) FromPredict(ReadOnlyMemory<byte> body, DeployedVersion version)
    {
        if (SingleInput(version, out TensorInfo? input) is { } problem)
        {
            return (null, problem);
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, "the body must be a JSON object with \"jsonData\" or \"ndarray\"");
            }

            if (root.TryGetProperty("ndarray", out JsonElement ndarray))
            {
                long[] shape = ShapeOf(ndarray);
                TensorElementTypes.TryParseOipName(input!.Datatype, out TensorElementType type);
                if (!OipShapes.Accepts(input.Shape, shape))
                {
                    return (null, $"input '{input.Name}': expected shape {OipShapes.Text(input.Shape)}, got {OipShapes.Text(shape)}");
                }

                Tensor tensor = OipJson.Read($"input '{input.Name}'", type, shape, ndarray);
                return (new InferRequest([new NamedTensor(input.Name, tensor)], []), null);
            }

            if (root.TryGetProperty("jsonData", out JsonElement jsonData) && jsonData.ValueKind == JsonValueKind.String)
            {
                byte[] raw;
                try
                {
                    raw = Convert.FromBase64String(jsonData.GetString()!);
                }
                catch (FormatException)
                {
                    return (null, "jsonData is not valid base64 (URLs are taken by handler functions, not by plain models)");
                }

                long[]? shape = root.TryGetProperty("shape", out JsonElement s) && s.ValueKind == JsonValueKind.Array
                    ? s.EnumerateArray().Select(d => d.TryGetInt64(out long v) ? v : -1).ToArray()
                    : null;
                return Build(input!, shape, raw, version);
            }

            return (null, "the body needs \"jsonData\" (base64 of the input's raw elements) or \"ndarray\" (nested arrays)");
        }
        catch (JsonException e)
        {
            return (null, $"malformed JSON: {e.Message}");
        }
        catch (OipException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>The headers that describe a raw tensor answer: its shape, datatype and output name.</summary>
    public static Dictionary<string, string> RawAnswerHeaders(NamedTensor output) => new()
    {
        ["X-Serval-Shape"] = string.Join(",", output.Tensor.Shape),
        ["X-Serval-Datatype"] = output.Tensor.ElementType.ToOipName(),
        ["X-Serval-Output"] = output.Name,
    };

    /// <summary>The <c>/predict</c> answer for an output tensor.</summary>
    public static byte[] PredictAnswer(string requestId, Tensor output)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("code", 0);
            writer.WriteString("request_id", requestId);
            writer.WriteStartObject("data");
            writer.WriteStartObject("msg");
            writer.WriteEndObject();
            writer.WritePropertyName("ndarray");
            WriteNested(writer, output, 0, 0);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteNested(Utf8JsonWriter writer, Tensor tensor, int dim, long offset)
    {
        if (tensor.Shape.Length == 0)
        {
            OipJson.Write(writer, tensor.ElementType, tensor.Data.Span, tensor.Strings);
            return;
        }

        long stride = 1;
        for (int d = dim + 1; d < tensor.Shape.Length; d++)
        {
            stride *= tensor.Shape[d];
        }

        if (dim == tensor.Shape.Length - 1)
        {
            int size = tensor.ElementType.SizeOf();
            if (tensor.ElementType == TensorElementType.String)
            {
                OipJson.Write(writer, tensor.ElementType, default, tensor.Strings!.Skip((int)offset).Take((int)tensor.Shape[dim]).ToArray());
            }
            else
            {
                OipJson.Write(writer, tensor.ElementType, tensor.Data.Span.Slice((int)(offset * size), (int)(tensor.Shape[dim] * size)), null);
            }

            return;
        }

        writer.WriteStartArray();
        for (long i = 0; i < tensor.Shape[dim]; i++)
        {
            WriteNested(writer, tensor, dim + 1, offset + i * stride);
        }

        writer.WriteEndArray();
    }

    private static (InferRequest?, string?) Build(TensorInfo input, long[]? shape, ReadOnlyMemory<byte> raw, DeployedVersion version)
    {
        TensorElementTypes.TryParseOipName(input.Datatype, out TensorElementType type);
        if (shape is null)
        {
            if (input.Shape.Any(d => d < 0))
            {
                return (null, $"input '{input.Name}' of '{version.Function}' has dynamic dimensions {OipShapes.Text(input.Shape)}: give the shape (header X-Serval-Shape, or \"shape\" in the JSON)");
            }

            shape = input.Shape;
        }

        if (!OipShapes.Accepts(input.Shape, shape))
        {
            return (null, $"input '{input.Name}': expected shape {OipShapes.Text(input.Shape)}, got {OipShapes.Text(shape)}");
        }

        if (type == TensorElementType.String)
        {
            return (null, $"input '{input.Name}' takes strings: use /v2/models/{version.Function}/infer");
        }

        long expected = Tensor.ElementCountOf(shape) * type.SizeOf();
        if (raw.Length != expected)
        {
            return (null, $"input '{input.Name}': shape {OipShapes.Text(shape)} of {input.Datatype} needs {expected} bytes, got {raw.Length}");
        }

        return (new InferRequest([new NamedTensor(input.Name, Tensor.FromBytes(type, shape, raw))], []), null);
    }

    private static string? SingleInput(DeployedVersion version, out TensorInfo? input)
    {
        input = version.Metadata.Inputs.Count == 1 ? version.Metadata.Inputs[0] : null;
        return input is null
            ? $"'{version.Function}' has {version.Metadata.Inputs.Count} inputs: call it with POST /v2/models/{version.Function}/infer"
            : null;
    }

    private static long[] ShapeOf(JsonElement element)
    {
        var shape = new List<long>();
        while (element.ValueKind == JsonValueKind.Array)
        {
            shape.Add(element.GetArrayLength());
            if (element.GetArrayLength() == 0)
            {
                break;
            }

            element = element[0];
        }

        return [.. shape];
    }

    private static long[]? ParseShape(string text)
    {
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        var shape = new long[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]))
            {
                return null;
            }
        }

        return shape;
    }
}
