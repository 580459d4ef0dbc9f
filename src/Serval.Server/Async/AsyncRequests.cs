using Serval.Core.Oip;
using System.Globalization;
using Serval.Core.Specs;
using Serval.Core.Wire;
using Serval.Core.Tensors;
using Serval.Server.Functions;
using Serval.Server.Gateway;
using Serval.Server.Gateway.Oip;

namespace Serval.Server.Async;

/// <summary>
/// A stored request becomes the instance request again for each run, through the same adapters the
/// synchronous path uses; an answer becomes the body the synchronous call would have answered.
/// </summary>
public static class AsyncRequests
{
    /// <summary>The route of requests accepted at <c>POST /v2/models/{name}/infer</c>.</summary>
    public const string OipRoute = "oip";

    /// <summary>The request headers a route reads, kept with the body (lower case).</summary>
    public static readonly string[] KeptHeaders = ["x-serval-shape", "inference-header-content-length"];

    /// <summary>The instance request for one run, the parsed OIP request (for its answer), or the 400 message.</summary>
    public static (InvokeRequest? Request, OipRequest? Oip, string? Error) Build(DeployedVersion version, string id, int attempt, StoredRequest stored)
    {
        ReadOnlyMemory<byte> body = stored.Body;
        if (stored.Route == OipRoute)
        {
            int? headerLength = stored.Headers.TryGetValue("inference-header-content-length", out string? text)
                ? int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture)
                : null;
            var (oip, error) = OipRequestReader.Read(body, headerLength, version.Function, version.Metadata.Inputs, version.Metadata.Outputs);
            return (oip?.Request, oip, error);
        }

        if (version.Spec.Runtime == RuntimeKind.Onnx)
        {
            var headers = new HeaderDictionary();
            foreach (var (name, value) in stored.Headers)
            {
                headers[name] = value;
            }

            var (infer, error) = stored.Route == "predict" ? OnnxAdapter.FromPredict(body, version) : OnnxAdapter.FromRaw(body, headers, version);
            return (infer, null, error);
        }

        return (new RawRequest(stored.Route, stored.ContentType, RunHeaders(id, attempt), body), null, null);
    }

    /// <summary>The headers a run of an asynchronous invocation passes on: its id, that it is asynchronous, which attempt.</summary>
    public static KeyValuePair<string, string>[] RunHeaders(string id, int attempt) =>
    [
        new("x-request-id", id),
        new("x-serval-invocation-type", "async"),
        new("x-serval-attempt", attempt.ToString(CultureInfo.InvariantCulture)),
    ];

    /// <summary>The answer as the synchronous call would have written it (copied out of the pooled buffer).</summary>
    public static StoredResult Render(DeployedVersion version, string id, StoredRequest stored, OipRequest? oip, ReadOnlyMemory<byte> answer)
    {
        object decoded = WireCodec.DecodeResult(answer);
        if (decoded is RawResponse raw)
        {
            return new StoredResult(raw.StatusCode, raw.ContentType, StoredRequest.NoHeaders, raw.Body.ToArray());
        }

        var outputs = (NamedTensor[])decoded;
        if (oip is not null)
        {
            var (json, binary) = OipResponseWriter.Write(version.Function, version.Version, oip.Id ?? id, outputs, oip);
            if (binary.Count == 0)
            {
                return new StoredResult(200, "application/json", StoredRequest.NoHeaders, json);
            }

            using var all = new MemoryStream();
            all.Write(json);
            foreach (Tensor tensor in binary)
            {
                OipBinary.WriteAsync(all, tensor, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            }

            var headers = new Dictionary<string, string> { ["Inference-Header-Content-Length"] = json.Length.ToString(CultureInfo.InvariantCulture) };
            return new StoredResult(200, "application/octet-stream", headers, all.ToArray());
        }

        NamedTensor first = outputs[0];
        if (stored.Route == "predict")
        {
            return new StoredResult(200, "application/json", StoredRequest.NoHeaders, OnnxAdapter.PredictAnswer(id, first.Tensor));
        }

        using var bytes = new MemoryStream();
        OipBinary.WriteAsync(bytes, first.Tensor, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return new StoredResult(200, "application/octet-stream", OnnxAdapter.RawAnswerHeaders(first), bytes.ToArray());
    }
}
