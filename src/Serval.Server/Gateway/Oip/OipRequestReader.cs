using Serval.Core.Oip;
using Serval.Core.Tensors;
using Serval.Core.Wire;

namespace Serval.Server.Gateway.Oip;

/// <summary>An OIP infer request, parsed and checked against the model's metadata.</summary>
/// <param name="Request">What goes to the instance.</param>
/// <param name="Id">The request's <c>id</c>, echoed in the answer.</param>
/// <param name="BinaryOutputs">Outputs to answer as binary data (the binary tensor extension).</param>
/// <param name="AllBinary">True when <c>binary_data_output</c> asked for every output in binary.</param>
public sealed record OipRequest(InferRequest Request, string? Id, HashSet<string> BinaryOutputs, bool AllBinary);

/// <summary>
/// Reads infer requests with the protocol's one codec (<see cref="OipReader"/>) and checks them
/// against the model: known inputs of its datatypes and shapes, none missing, known outputs.
/// </summary>
public static class OipRequestReader
{
    /// <summary>Parses <paramref name="body"/>; a non-null error string is a 400 for the caller.</summary>
    public static (OipRequest? Request, string? Error) Read(ReadOnlyMemory<byte> body, int? headerLength, string model, IReadOnlyList<TensorInfo> inputs, IReadOnlyList<TensorInfo> outputs)
    {
        try
        {
            OipMessage message = OipReader.Read(body, headerLength, header => Check(header, model, inputs));
            if (message.Outputs.Count > 0)
            {
                throw new OipException($"a request's \"outputs\" only name outputs; '{message.Outputs[0].Name}' carries data");
            }

            foreach (TensorInfo expected in inputs)
            {
                if (!message.Inputs.Any(i => i.Name == expected.Name))
                {
                    throw new OipException($"input '{expected.Name}' is missing: model '{model}' needs {Describe(inputs)}");
                }
            }

            foreach (OipRequestedOutput output in message.RequestedOutputs)
            {
                if (!outputs.Any(o => o.Name == output.Name))
                {
                    throw new OipException($"unknown output '{output.Name}': model '{model}' has outputs {string.Join(", ", outputs.Select(o => o.Name))}");
                }
            }

            var binary = message.RequestedOutputs.Where(o => o.Binary).Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
            var request = new InferRequest([.. message.Inputs], [.. message.RequestedOutputs.Select(o => o.Name)]);
            return (new OipRequest(request, message.Id, binary, message.BinaryDataOutput), null);
        }
        catch (OipException e)
        {
            return (null, e.Message);
        }
    }

    private static void Check(OipTensorHeader header, string model, IReadOnlyList<TensorInfo> inputs)
    {
        if (header.Section != "inputs")
        {
            return;
        }

        TensorInfo expected = inputs.FirstOrDefault(i => i.Name == header.Name)
            ?? throw new OipException($"unknown input '{header.Name}': model '{model}' has inputs {Describe(inputs)}");
        if (!TensorElementTypes.TryParseOipName(header.Datatype, out _))
        {
            throw new OipException($"{header.Where}: unknown datatype '{header.Datatype}'");
        }

        if (header.Datatype != expected.Datatype)
        {
            throw new OipException($"{header.Where}: expected datatype {expected.Datatype}, got {header.Datatype}");
        }

        if (!OipShapes.Accepts(expected.Shape, header.Shape))
        {
            throw new OipException($"{header.Where}: expected shape {OipShapes.Text(expected.Shape)}, got {OipShapes.Text(header.Shape)}");
        }
    }

    private static string Describe(IReadOnlyList<TensorInfo> inputs) =>
        string.Join(", ", inputs.Select(i => $"{i.Name} ({i.Datatype} {OipShapes.Text(i.Shape)})"));
}
