using Serval.Core.Tensors;

namespace Serval.Core.Oip;

/// <summary>An output a request names under <c>outputs</c>: which it wants back, and whether as binary data.</summary>
/// <param name="Name">The output's name.</param>
/// <param name="Binary">True when its <c>parameters</c> ask for <c>binary_data</c>.</param>
public sealed record OipRequestedOutput(string Name, bool Binary);

/// <summary>
/// One Open Inference Protocol message, request or response, with every tensor's data resolved
/// (JSON <c>data</c> or the binary extension's bytes alike).
/// </summary>
/// <param name="Id">The <c>id</c>, when it is a string.</param>
/// <param name="ModelName">A response's <c>model_name</c>.</param>
/// <param name="ModelVersion">A response's <c>model_version</c>.</param>
/// <param name="Inputs">The tensors under <c>inputs</c>, in order.</param>
/// <param name="Outputs">The tensors under <c>outputs</c> that carry data (a response's), in order.</param>
/// <param name="RequestedOutputs">The entries under <c>outputs</c> with no datatype (a request's), in order.</param>
/// <param name="BinaryDataOutput">True when <c>parameters.binary_data_output</c> asks for every output in binary.</param>
public sealed record OipMessage(
    string? Id,
    string? ModelName,
    string? ModelVersion,
    IReadOnlyList<NamedTensor> Inputs,
    IReadOnlyList<NamedTensor> Outputs,
    IReadOnlyList<OipRequestedOutput> RequestedOutputs,
    bool BinaryDataOutput);

/// <summary>What a tensor entry declares before its data is read: for a reader's own checks.</summary>
/// <param name="Section"><c>inputs</c> or <c>outputs</c>.</param>
/// <param name="Name">The tensor's name.</param>
/// <param name="Datatype">The datatype as written (perhaps not a known one).</param>
/// <param name="Shape">The dimensions, none negative.</param>
public sealed record OipTensorHeader(string Section, string Name, string Datatype, long[] Shape)
{
    /// <summary>"input 'x'" or "output 'y'": how errors name the tensor.</summary>
    public string Where => Describe(Section, Name);

    internal static string Describe(string section, string name) => $"{(section == "inputs" ? "input" : "output")} '{name}'";
}
