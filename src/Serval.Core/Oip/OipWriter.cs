using System.Buffers;
using System.Text.Json;
using Serval.Core.Tensors;

namespace Serval.Core.Oip;

/// <summary>
/// Writes Open Inference Protocol v2 messages: requests (<c>inputs</c>) and responses
/// (<c>outputs</c>), each tensor as JSON <c>data</c> or in the binary extension. Floats are written
/// shortest-round-trip, so JSON data parses back bit-identical as the same type.
/// </summary>
public static class OipWriter
{
    /// <summary>
    /// The JSON part of a message, and the tensors whose binary data follows it in order (none when
    /// the message is plain JSON; otherwise the JSON's length is <c>Inference-Header-Content-Length</c>).
    /// </summary>
    /// <param name="fields">The message's own fields (<c>id</c>, <c>model_name</c>...).</param>
    /// <param name="section"><c>inputs</c> or <c>outputs</c>.</param>
    /// <param name="tensors">The tensors.</param>
    /// <param name="binary">Which tensors go in binary form.</param>
    public static (byte[] Json, List<Tensor> Binary) Write(OipFields fields, string section, IReadOnlyList<NamedTensor> tensors, Func<string, bool> binary)
    {
        var binaryTensors = new List<Tensor>();
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            fields.Write(writer);
            writer.WriteStartArray(section);
            foreach (NamedTensor named in tensors)
            {
                Tensor tensor = named.Tensor;
                bool asBinary = binary(named.Name);
                writer.WriteStartObject();
                writer.WriteString("name", named.Name);
                writer.WriteString("datatype", tensor.ElementType.ToOipName());
                writer.WriteStartArray("shape");
                foreach (long d in tensor.Shape)
                {
                    writer.WriteNumberValue(d);
                }

                writer.WriteEndArray();
                if (asBinary)
                {
                    binaryTensors.Add(tensor);
                    writer.WriteStartObject("parameters");
                    writer.WriteNumber("binary_data_size", OipBinary.SizeOf(tensor));
                    writer.WriteEndObject();
                }
                else
                {
                    writer.WritePropertyName("data");
                    OipJson.Write(writer, tensor.ElementType, tensor.Data.Span, tensor.Strings);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            if (fields.BinaryDataOutput)
            {
                writer.WriteStartObject("parameters");
                writer.WriteBoolean("binary_data_output", true);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return (buffer.WrittenSpan.ToArray(), binaryTensors);
    }

    /// <summary>A whole message in one body: the JSON, then the binary data; the JSON's length for <c>Inference-Header-Content-Length</c>.</summary>
    public static (byte[] Body, int HeaderLength) Encode(OipFields fields, string section, IReadOnlyList<NamedTensor> tensors, Func<string, bool> binary)
    {
        var (json, binaryTensors) = Write(fields, section, tensors, binary);
        var body = new ArrayBufferWriter<byte>(json.Length + (int)Math.Min(int.MaxValue, binaryTensors.Sum(OipBinary.SizeOf)));
        body.Write(json);
        foreach (Tensor tensor in binaryTensors)
        {
            OipBinary.Write(body, tensor);
        }

        return (body.WrittenSpan.ToArray(), json.Length);
    }
}

/// <summary>The fields of a message besides its tensors; null ones are left out.</summary>
/// <param name="Id">The request's <c>id</c>.</param>
/// <param name="ModelName">A response's <c>model_name</c>.</param>
/// <param name="ModelVersion">A response's <c>model_version</c>.</param>
/// <param name="BinaryDataOutput">A request asking for every output in binary form.</param>
public sealed record OipFields(string? Id = null, string? ModelName = null, string? ModelVersion = null, bool BinaryDataOutput = false)
{
    internal void Write(Utf8JsonWriter writer)
    {
        if (ModelName is not null)
        {
            writer.WriteString("model_name", ModelName);
        }

        if (ModelVersion is not null)
        {
            writer.WriteString("model_version", ModelVersion);
        }

        if (Id is not null)
        {
            writer.WriteString("id", Id);
        }
    }
}
