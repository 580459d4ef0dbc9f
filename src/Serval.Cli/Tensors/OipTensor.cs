namespace Serval.Cli.Tensors;

/// <summary>
/// One tensor of an Open Inference Protocol message: its name, datatype (<c>FP32</c>, <c>INT64</c>,
/// <c>BYTES</c>...), shape and raw elements as Triton's binary tensor extension carries them
/// (row-major, little-endian; <c>BYTES</c> elements each prefixed by a 4-byte length).
/// </summary>
/// <param name="Name">The input or output name.</param>
/// <param name="Datatype">The OIP datatype name, upper case.</param>
/// <param name="Shape">The dimensions, none negative.</param>
/// <param name="Data">The raw elements.</param>
public sealed record OipTensor(string Name, string Datatype, long[] Shape, ReadOnlyMemory<byte> Data)
{
    /// <summary>The number of elements the shape holds: [1,3,48,320] → 46080; [] (a scalar) → 1.</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (long dim in Shape)
            {
                count *= dim;
            }

            return count;
        }
    }
}

/// <summary>A message in Triton's binary form: the body and the length of its JSON header.</summary>
/// <param name="Body">The JSON header followed by the binary tensor data.</param>
/// <param name="HeaderLength">The value of <c>Inference-Header-Content-Length</c>.</param>
public sealed record OipEncoded(byte[] Body, int HeaderLength);

/// <summary>A decoded message: its JSON header and the tensors, their data resolved (binary or JSON).</summary>
/// <param name="Header">The JSON header as sent (binary tensors keep their <c>binary_data_size</c>).</param>
/// <param name="Inputs">The tensors under <c>inputs</c> (a request).</param>
/// <param name="Outputs">The tensors under <c>outputs</c> that carry data (a response).</param>
public sealed record OipMessage(System.Text.Json.Nodes.JsonObject Header, IReadOnlyList<OipTensor> Inputs, IReadOnlyList<OipTensor> Outputs);
