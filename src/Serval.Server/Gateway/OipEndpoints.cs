using Serval.Core.Oip;
using System.Globalization;
using Serval.Core.Specs;
using Serval.Core.Wire;
using Serval.Core.Tensors;
using Serval.Server.Async;
using Serval.Server.Dispatch;
using Serval.Server.Functions;
using Serval.Server.Gateway.Oip;
using Serval.Server.Monitoring;

namespace Serval.Server.Gateway;

/// <summary>The Open Inference Protocol v2 (KServe/Triton) endpoints.</summary>
public static class OipEndpoints
{
    private static readonly string ServerVersion = typeof(OipEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.1.0";

    /// <summary>Maps <c>/v2/...</c>.</summary>
    public static void MapOip(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v2", () => Results.Json(new { name = "serval", version = ServerVersion, extensions = new[] { "binary_tensor_data" } }));
        app.MapGet("/v2/health/live", () => Results.Ok());
        app.MapGet("/v2/health/ready", () => Results.Ok());
        app.MapGet("/v2/models/{name}", (string name, FunctionCatalog catalog) => Metadata(catalog, name, null));
        app.MapGet("/v2/models/{name}/versions/{version}", (string name, string version, FunctionCatalog catalog) => Metadata(catalog, name, version));
        app.MapGet("/v2/models/{name}/ready", (string name, FunctionCatalog catalog) => Ready(catalog, name, null));
        app.MapGet("/v2/models/{name}/versions/{version}/ready", (string name, string version, FunctionCatalog catalog) => Ready(catalog, name, version));
        app.MapPost("/v2/models/{name}/infer", (HttpContext context, string name) => InferAsync(context, name, null));
        app.MapPost("/v2/models/{name}/versions/{version}/infer", (HttpContext context, string name, string version) => InferAsync(context, name, version));
    }

    private static IResult Metadata(FunctionCatalog catalog, string name, string? version)
    {
        if (catalog.Resolve(name, version) is not { } deployed)
        {
            return NotFound(catalog, name, version);
        }

        return Results.Json(new
        {
            name,
            versions = catalog.Functions[name].Versions.Select(v => v.Version.ToString(CultureInfo.InvariantCulture)).ToArray(),
            platform = deployed.Spec.Runtime switch { RuntimeKind.Onnx => "onnxruntime_onnx", RuntimeKind.Plan => "serval_plan", _ => "serval_dotnet" },
            inputs = deployed.Metadata.Inputs.Select(i => new { name = i.Name, datatype = i.Datatype, shape = i.Shape }),
            outputs = deployed.Metadata.Outputs.Select(o => new { name = o.Name, datatype = o.Datatype, shape = o.Shape }),
        });
    }

    private static IResult Ready(FunctionCatalog catalog, string name, string? version) =>
        catalog.Resolve(name, version) is null ? NotFound(catalog, name, version) : Results.Ok();

    internal static IResult NotFound(FunctionCatalog catalog, string name, string? version, string noun = "model") =>
        Errors.Result(404, NotFoundMessage(catalog, name, version, noun));

    /// <summary>"no model named 'x'" or "model 'x' has no version '9' (versions: 1, 2)"; <paramref name="noun"/> is "model" on OIP paths, "function" on /fn.</summary>
    internal static string NotFoundMessage(FunctionCatalog catalog, string name, string? version, string noun = "model") =>
        catalog.Functions.TryGetValue(name, out DeployedFunction? function)
            ? $"{noun} '{name}' has no version '{version}' (versions: {string.Join(", ", function.Versions.Select(v => v.Version))})"
            : $"no {noun} named '{name}'";

    private static async Task InferAsync(HttpContext context, string name, string? version)
    {
        var services = context.RequestServices;
        var catalog = services.GetRequiredService<FunctionCatalog>();
        var options = services.GetRequiredService<ServalOptions>();
        if (Callers.Resolve(catalog, name, version, context.Request) is not { } deployed)
        {
            await Errors.WriteAsync(context, 404, NotFoundMessage(catalog, name, version)).ConfigureAwait(false);
            return;
        }

        if (deployed.Spec.Runtime != RuntimeKind.Onnx)
        {
            await Errors.WriteAsync(context, 400, $"'{name}' is a {deployed.Spec.Runtime.ToString().ToLowerInvariant()} function: call it with POST /fn/{name} or /fn/{name}/predict").ConfigureAwait(false);
            return;
        }

        if (await AsyncAccept.ReadCallAsync(context, options).ConfigureAwait(false) is not { } call)
        {
            return;
        }

        var (isAsync, key, pooled) = call;

        using PooledBody body = pooled;

        int? headerLength = null;
        if (context.Request.Headers.TryGetValue("Inference-Header-Content-Length", out var headerValue))
        {
            if (!int.TryParse(headerValue, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed))
            {
                await Errors.RefuseAsync(context, deployed, $"Inference-Header-Content-Length must be a number, got '{headerValue}'").ConfigureAwait(false);
                return;
            }

            headerLength = parsed;
        }

        var (request, error) = OipRequestReader.Read(body.Memory, headerLength, name, deployed.Metadata.Inputs, deployed.Metadata.Outputs);
        if (request is null)
        {
            await Errors.RefuseAsync(context, deployed, error!).ConfigureAwait(false);
            return;
        }

        if (isAsync)
        {
            var stored = new StoredRequest(AsyncRequests.OipRoute, context.Request.ContentType ?? "application/json", AsyncAccept.KeptHeaders(context.Request), body.Memory);
            await AsyncAccept.AcceptAsync(context, deployed, stored, key).ConfigureAwait(false);
            return;
        }

        string requestId = InvocationHeaders.RequestId(context.Request);
        var (callerTimeout, timeoutError) = InvocationHeaders.CallerTimeout(context.Request);
        if (timeoutError is not null)
        {
            await Errors.RefuseAsync(context, deployed, timeoutError).ConfigureAwait(false);
            return;
        }

        InvocationResult result = await services.GetRequiredService<Dispatcher>().InvokeAsync(deployed, request.Request, callerTimeout, context.RequestAborted).ConfigureAwait(false);
        services.GetRequiredService<InvocationRecorder>().Record(deployed, result, requestId);
        InvocationHeaders.Set(context.Response, requestId, deployed, result);
        if (result.Outcome.Error is { } failure)
        {
            await Errors.WriteAsync(context, failure).ConfigureAwait(false);
            return;
        }

        try
        {
            await WriteAnswerAsync(context, name, deployed.Version, request, requestId, result.Outcome.Body).ConfigureAwait(false);
        }
        finally
        {
            result.Outcome.Release();
        }
    }

    private static async Task WriteAnswerAsync(HttpContext context, string name, int version, OipRequest request, string requestId, ReadOnlyMemory<byte> answer)
    {
        var outputs = (NamedTensor[])WireCodec.DecodeResult(answer);
        var (json, binary) = OipResponseWriter.Write(name, version, request.Id ?? requestId, outputs, request);
        HttpResponse response = context.Response;
        if (binary.Count == 0)
        {
            response.ContentType = "application/json";
            response.ContentLength = json.Length;
            await response.Body.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        long length = json.Length;
        foreach (Tensor tensor in binary)
        {
            length += OipBinary.SizeOf(tensor);
        }

        response.ContentType = "application/octet-stream";
        response.Headers["Inference-Header-Content-Length"] = json.Length.ToString(CultureInfo.InvariantCulture);
        response.ContentLength = length;
        await response.Body.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
        foreach (Tensor tensor in binary)
        {
            await OipBinary.WriteAsync(response.Body, tensor, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
