using System.Globalization;
using System.Text;
using Serval.Sdk;

namespace Serval.Instance.TestHandlers;

/// <summary>
/// Notes each run's request id in <c>&lt;dir&gt;/&lt;pid&gt;.txt</c>, where the package's file
/// <c>runs-dir</c> names the folder (when there is one), so a test counts how often each invocation
/// ran, across instances and restarts. (A file in the package, not a variable: a pooled instance
/// process is started before it knows its function.)
/// </summary>
internal static class Runs
{
    private static readonly object Gate = new();

    public static void Note(FunctionRequest request, FunctionContext context)
    {
        string pointer = Path.Combine(context.PackageDirectory, "runs-dir");
        if (!File.Exists(pointer) || File.ReadAllText(pointer).Trim() is not { Length: > 0 } dir)
        {
            return;
        }

        lock (Gate)
        {
            File.AppendAllText(Path.Combine(dir, $"{Environment.ProcessId}.txt"), request.RequestId + "\n");
        }
    }

    public static int Attempt(FunctionRequest request) =>
        request.Headers.TryGetValue("x-serval-attempt", out string? text) ? int.Parse(text, CultureInfo.InvariantCulture) : 1;

    public static int BodyNumber(FunctionRequest request) =>
        request.Body.Length == 0 ? 0 : int.Parse(Encoding.UTF8.GetString(request.Body.Span), CultureInfo.InvariantCulture);
}

/// <summary>Does nothing but note the run: the fastest function there is.</summary>
public sealed class NoOp : IFunctionHandler
{
    public ValueTask<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        Runs.Note(request, context);
        return ValueTask.FromResult(FunctionResponse.Json(new { id = request.RequestId, attempt = Runs.Attempt(request) }));
    }
}

/// <summary>Fails (throws) while the run's attempt number is at most the body's number N, then succeeds.</summary>
public sealed class Flaky : IFunctionHandler
{
    public ValueTask<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        Runs.Note(request, context);
        int attempt = Runs.Attempt(request);
        if (attempt <= Runs.BodyNumber(request))
        {
            throw new InvalidOperationException($"attempt {attempt} fails on purpose");
        }

        return ValueTask.FromResult(FunctionResponse.Json(new { succeededOn = attempt }));
    }
}

/// <summary>Always answers 500 with a JSON error naming the request.</summary>
public sealed class AlwaysFail : IFunctionHandler
{
    public ValueTask<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        Runs.Note(request, context);
        return ValueTask.FromResult(FunctionResponse.Json(new { error = $"always fails ({request.RequestId})" }, 500));
    }
}

/// <summary>Waits the body's milliseconds (honouring cancellation), noting the run when it starts.</summary>
public sealed class Slow : IFunctionHandler
{
    public async ValueTask<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        Runs.Note(request, context);
        await Task.Delay(Runs.BodyNumber(request), cancellationToken);
        return FunctionResponse.Text($"slept {Runs.BodyNumber(request)} ms");
    }
}

/// <summary>Answers with the body it got, as it came (a destination's record becomes its result).</summary>
public sealed class Echo : IFunctionHandler
{
    public ValueTask<FunctionResponse> HandleAsync(FunctionRequest request, FunctionContext context, CancellationToken cancellationToken)
    {
        Runs.Note(request, context);
        return ValueTask.FromResult(new FunctionResponse(200, request.ContentType, request.Body.ToArray()));
    }
}
