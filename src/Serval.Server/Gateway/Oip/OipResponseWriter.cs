using Serval.Core.Oip;
using Serval.Core.Tensors;

namespace Serval.Server.Gateway.Oip;

/// <summary>Writes OIP infer answers with the protocol's one codec: JSON, or a JSON header and binary outputs.</summary>
public static class OipResponseWriter
{
    /// <summary>
    /// The JSON part of the answer, and the tensors whose binary data follows it (empty when the
    /// answer is plain JSON; otherwise the JSON's length is <c>Inference-Header-Content-Length</c>).
    /// </summary>
    public static (byte[] Json, List<Tensor> Binary) Write(string model, int version, string? id, NamedTensor[] outputs, OipRequest request) =>
        OipWriter.Write(
            new OipFields(id, model, version.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            "outputs",
            outputs,
            name => request.AllBinary || request.BinaryOutputs.Contains(name));
}
