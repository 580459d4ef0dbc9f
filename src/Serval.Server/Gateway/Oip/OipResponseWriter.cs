using System.Buffers;
using System.Text.Json;
using Serval.Core.Tensors;

namespace Serval.Server.Gateway.Oip;

/// <summary>Writes OIP infer answers: JSON, or JSON header + binary outputs (the binary tensor extension).</summary>
public static class OipResponseWriter
{
    /// <summary>
    /// The JSON part of the answer, and the tensors whose binary data follows it (empty when the
    /// answer is plain JSON; otherwise the JSON's length is <c>Inference-Header-Content-Length</c>).
    /// </summary>
    public static (byte[] Json, List<Tensor> Binary) Write(string model, int version, string? id, NamedTensor[] outputs, OipRequest request)
    {
        var binaryTensors = new List<Tensor>();
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("model_name", model);
            writer.WriteString("model_version", version.ToString());
            if (id is not null)
            {
                writer.WriteString("id", id);
            }

            writer.WriteStartArray("outputs");
            foreach (NamedTensor output in outputs)
            {
                bool binary = request.AllBinary || request.BinaryOutputs.Contains(output.Name);
                if (binary)
                {
                    binaryTensors.Add(output.Tensor);
                }

                writer.WriteStartObject();
                writer.WriteString("name", output.Name);
                writer.WriteString("datatype", output.Tensor.ElementType.ToOipName());
                writer.WriteStartArray("shape");
                foreach (long d in output.Tensor.Shape)
                {
                    writer.WriteNumberValue(d);
                }

                writer.WriteEndArray();
                if (binary)
                {
                    writer.WriteStartObject("parameters");
                    writer.WriteNumber("binary_data_size", BinarySize(output.Tensor));
                    writer.WriteEndObject();
                }
                else
                {
                    writer.WritePropertyName("data");
                    JsonTensorData.Write(writer, output.Tensor.ElementType, output.Tensor.Data.Span, output.Tensor.Strings);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return (buffer.WrittenSpan.ToArray(), binaryTensors);
    }

    /// <summary>The binary form of a tensor: raw elements, or for BYTES a 4-byte length before each element.</summary>
    public static async ValueTask WriteBinaryAsync(Stream destination, Tensor tensor, CancellationToken cancellationToken)
    {
        if (tensor.ElementType != TensorElementType.String)
        {
            await destination.WriteAsync(tensor.Data, cancellationToken).ConfigureAwait(false);
            return;
        }

        var buffer = new ArrayBufferWriter<byte>();
        WriteBinary(buffer, tensor);
        await destination.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Bytes of <see cref="WriteBinaryAsync"/>'s output.</summary>
    public static long BinarySize(Tensor tensor)
    {
        if (tensor.ElementType != TensorElementType.String)
        {
            return tensor.Data.Length;
        }

        long size = 0;
        foreach (string s in tensor.Strings!)
        {
            size += 4 + System.Text.Encoding.UTF8.GetByteCount(s);
        }

        return size;
    }

    private static void WriteBinary(ArrayBufferWriter<byte> buffer, Tensor tensor)
    {
        if (tensor.ElementType != TensorElementType.String)
        {
            buffer.Write(tensor.Data.Span);
            return;
        }

        foreach (string s in tensor.Strings!)
        {
            byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(s);
            System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(buffer.GetSpan(4), utf8.Length);
            buffer.Advance(4);
            buffer.Write(utf8);
        }
    }
}
