using Serval.Core.Oip;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Serval.Core.Security;
using Serval.Core.Specs;
using Serval.Core.Wire;
using Serval.Core.Tensors;
using Serval.Server.Async;
using Serval.Server.Dispatch;
using Serval.Server.Functions;
using Serval.Server.Gateway.Oip;
using Serval.Server.Monitoring;
using Serval.Server.Plans;
using Serval.Server.Security;

namespace Serval.Server.Gateway;

/// <summary>
/// <c>POST /fn/{name}</c> (raw body in and out), <c>POST /fn/{name}/predict</c> (the simple JSON
/// protocol) and <c>GET /fn/{name}/monitor</c>. Handler runtimes get the body as it came; an
/// <c>onnx</c> function is adapted: its one input from the raw body or the JSON, its first output back.
/// </summary>
public static class FunctionEndpoints
{
    /// <summary>Maps <c>/fn/...</c>.</summary>
    public static void MapFunctions(this IEndpointRouteBuilder app)
    {
        app.MapPost("/fn/{name}", (HttpContext context, string name) => InvokeAsync(context, name, ""));
        app.MapPost("/fn/{name}/predict", (HttpContext context, string name) => InvokeAsync(context, name, "predict"));
        app.MapPost("/predict", RoutedPredictAsync);
        app.MapGet("/fn/{name}/monitor", (string name, FunctionCatalog catalog, FunctionStats stats) =>
        {
            if (!catalog.Functions.ContainsKey(name))
            {
                return OipEndpoints.NotFound(catalog, name, null, "function");
            }

            MonitorSnapshot s = stats.Snapshot(name);
            return Results.Json(new Dictionary<string, object>
            {
                ["AvgQPM"] = Math.Round(s.AvgQpm, 2),
                ["AvgReqTime"] = s.AvgReqTimeSeconds.ToString("0.000", CultureInfo.InvariantCulture) + "s",
                ["Counter"] = s.Counter,
            });
        });
    }

    /// <summary><c>POST /predict</c>: the function or plan that <c>routes</c> name for the request's tid and bid.</summary>
    private static Task RoutedPredictAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        string? tid = FirstOf(request.Query["tid"], request.Headers["X-Serval-Tid"]);
        string? bid = FirstOf(request.Query["bid"], request.Headers["X-Serval-Bid"]);
        var (target, error) = context.RequestServices.GetRequiredService<RouteTable>().Resolve(tid, bid);
        if (target is null)
        {
            return Errors.WriteAsync(context, string.IsNullOrEmpty(tid) ? 400 : 404, error!);
        }

        if (RequestAccess.Check(context, Scope.Invoke, target) is { Allowed: false } denied)
        {
            return Denials.WriteAsync(context, denied);
        }

        context.Response.Headers["X-Serval-Route"] = target;
        return InvokeAsync(context, target, "predict");

        static string? FirstOf(StringValues a, StringValues b) => a.Count > 0 ? a.ToString() : b.Count > 0 ? b.ToString() : null;
    }

    private static async Task InvokeAsync(HttpContext context, string name, string route)
    {
        var services = context.RequestServices;
        var catalog = services.GetRequiredService<FunctionCatalog>();
        string? version = context.Request.Query["version"];
        if (Callers.Resolve(catalog, name, version, context.Request) is not { } deployed)
        {
            await Errors.WriteAsync(context, 404, OipEndpoints.NotFoundMessage(catalog, name, version, "function")).ConfigureAwait(false);
            return;
        }

        var options = services.GetRequiredService<ServalOptions>();
        if (await AsyncAccept.ReadCallAsync(context, options).ConfigureAwait(false) is not { } call)
        {
            return;
        }

        var (isAsync, key, pooled) = call;

        using PooledBody owner = pooled;
        ReadOnlyMemory<byte> body = owner.Memory;

        string contentType = context.Request.ContentType ?? "application/octet-stream";
        if (route == "predict" && contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) && LooksLikeJson(body.Span))
        {
            // curl -d '{"jsonData": ...}' labels a JSON body as a form: take it for what it is.
            contentType = "application/json";
        }
        else if (route == "predict" && contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            // The form field json= carries the same JSON document as a JSON body would.
            var form = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body.Span));
            if (!form.TryGetValue("json", out StringValues json))
            {
                await Errors.RefuseAsync(context, deployed, "the form has no field 'json': send {\"jsonData\": ...} as a JSON body or as the form field json=").ConfigureAwait(false);
                return;
            }

            body = Encoding.UTF8.GetBytes(json.ToString());
            contentType = "application/json";
        }

        string requestId = InvocationHeaders.RequestId(context.Request);
        var (callerTimeout, timeoutError) = InvocationHeaders.CallerTimeout(context.Request);
        if (timeoutError is not null)
        {
            await Errors.RefuseAsync(context, deployed, timeoutError).ConfigureAwait(false);
            return;
        }

        if (deployed.Spec.Runtime == RuntimeKind.Plan && !isAsync)
        {
            await PlanAnswer.RunAsync(context, deployed, new RawRequest(route, contentType, [new("x-request-id", requestId)], body), requestId, callerTimeout).ConfigureAwait(false);
            return;
        }

        InvokeRequest? request = null;
        if (deployed.Spec.Runtime == RuntimeKind.Onnx)
        {
            var (infer, error) = route == "predict" ? OnnxAdapter.FromPredict(body, deployed) : OnnxAdapter.FromRaw(body, context.Request.Headers, deployed);
            if (infer is null)
            {
                await Errors.RefuseAsync(context, deployed, error!).ConfigureAwait(false);
                return;
            }

            request = infer;
        }

        if (isAsync)
        {
            // Kept to run later; for a plan, a job whose map steps fan out then.
            await AsyncAccept.AcceptAsync(context, deployed, new StoredRequest(route, contentType, AsyncAccept.KeptHeaders(context.Request), body), key).ConfigureAwait(false);
            return;
        }

        request ??= new RawRequest(route, contentType, [new("x-request-id", requestId)], body);
        InvocationResult result = await services.GetRequiredService<Dispatcher>().InvokeAsync(deployed, request, callerTimeout, context.RequestAborted).ConfigureAwait(false);
        services.GetRequiredService<InvocationRecorder>().Record(deployed, result, requestId);
        InvocationHeaders.Set(context.Response, requestId, deployed, result);
        if (result.Outcome.Error is { } failure)
        {
            await Errors.WriteAsync(context, failure).ConfigureAwait(false);
            return;
        }

        try
        {
            await WriteAnswerAsync(context, route, requestId, result.Outcome.Body).ConfigureAwait(false);
        }
        finally
        {
            result.Outcome.Release();
        }
    }

    private static bool LooksLikeJson(ReadOnlySpan<byte> body)
    {
        int start = body.IndexOfAnyExcept(" \t\r\n"u8);
        return start >= 0 && body[start] == (byte)'{';
    }

    private static async Task WriteAnswerAsync(HttpContext context, string route, string requestId, ReadOnlyMemory<byte> answer)
    {
        object decoded = WireCodec.DecodeResult(answer);
        HttpResponse response = context.Response;
        if (decoded is RawResponse raw)
        {
            response.StatusCode = raw.StatusCode;
            response.ContentType = raw.ContentType;
            response.ContentLength = raw.Body.Length;
            await response.Body.WriteAsync(raw.Body, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        NamedTensor first = ((NamedTensor[])decoded)[0];
        if (route == "predict")
        {
            byte[] json = OnnxAdapter.PredictAnswer(requestId, first.Tensor);
            response.ContentType = "application/json";
            response.ContentLength = json.Length;
            await response.Body.WriteAsync(json, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        response.ContentType = "application/octet-stream";
        foreach (var (name, value) in OnnxAdapter.RawAnswerHeaders(first))
        {
            response.Headers[name] = value;
        }

        response.ContentLength = OipBinary.SizeOf(first.Tensor);
        await OipBinary.WriteAsync(response.Body, first.Tensor, context.RequestAborted).ConfigureAwait(false);
    }
}
