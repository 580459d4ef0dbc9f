using System.Text;
using Microsoft.Extensions.Logging;
using Serval.Sdk;

namespace Serval.Instance.TestHandlers;

/// <summary>
/// Routes: <c>sleep</c> (waits the body's milliseconds, honouring cancellation), <c>stubborn</c>
/// (blocks the body's milliseconds, ignoring it), <c>throw</c>, <c>stats</c> (the most invocations
/// seen running at once), <c>whoami</c> (request id, route, content type and headers).
/// </summary>
public sealed class Probe : IFunctionHandler
{
    private int _running;
    private int _maxRunning;

    public async ValueTask<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        int running = Interlocked.Increment(ref _running);
        int seen;
        while ((seen = Volatile.Read(ref _maxRunning)) < running && Interlocked.CompareExchange(ref _maxRunning, running, seen) != seen)
        {
        }

        try
        {
            switch (request.Route)
            {
                case "sleep":
                    await Task.Delay(Milliseconds(request), cancellationToken);
                    return FunctionResponse.Text($"slept {Milliseconds(request)} ms for {request.RequestId}");
                case "stubborn":
                    Thread.Sleep(Milliseconds(request));
                    return FunctionResponse.Text("done");
                case "throw":
                    throw new InvalidOperationException("the handler failed on purpose");
                case "stats":
                    return FunctionResponse.Json(new { maxRunning = Volatile.Read(ref _maxRunning) });
                case "whoami":
                    context.Logger.LogInformation("whoami for {RequestId}", request.RequestId);
                    return FunctionResponse.Json(new
                    {
                        requestId = request.RequestId,
                        route = request.Route,
                        contentType = request.ContentType,
                        headers = request.Headers,
                        function = context.FunctionName,
                        packageDirectory = context.PackageDirectory,
                    });
                default:
                    return FunctionResponse.Json(new { error = $"no route '{request.Route}'" }, 404);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }
    }

    private static int Milliseconds(FunctionRequest request) => int.Parse(Encoding.UTF8.GetString(request.Body.Span));
}

/// <summary>Answers every call with its request id and headers, and logs "whoami for ID" (Probe's <c>whoami</c> on the default route).</summary>
public sealed class WhoAmI : IFunctionHandler
{
    public ValueTask<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        context.Logger.LogInformation("whoami for {RequestId}", request.RequestId);
        return ValueTask.FromResult(FunctionResponse.Json(new { requestId = request.RequestId, headers = request.Headers }));
    }
}
