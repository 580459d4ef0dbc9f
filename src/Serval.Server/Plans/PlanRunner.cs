using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Serval.Core.Specs;
using Serval.Core.Wire;
using Serval.Sdk;
using Serval.Server.Dispatch;
using Serval.Server.Functions;
using Serval.Server.Monitoring;

namespace Serval.Server.Plans;

/// <summary>What a plan call ended with: the last step's answer, or the error that stopped it, and per-step timings.</summary>
public sealed record PlanOutcome(RawResponse? Answer, InvokeError? Error, IReadOnlyList<StepTiming> Steps, double DurationMs)
{
    /// <summary>"detect=41.2, recognize[12]=63.0, order=0.8": where the time went, and each map's fan-out (<c>X-Serval-Steps</c>).</summary>
    public string Describe(PlanSpec plan) =>
        string.Join(", ", Steps.Select(s =>
            string.Create(CultureInfo.InvariantCulture, $"{s.Step}{(plan.Steps.First(p => p.Name == s.Step).Map ? $"[{s.Items}]" : "")}={s.DurationMs:0.0}")));
}

/// <summary>How long one step took, and over how many items for a map.</summary>
public sealed record StepTiming(string Step, string Function, int Items, double DurationMs);

/// <summary>
/// Runs a plan: each step's answer is the next step's request; a map step calls its function once
/// per item of the previous answer (an <see cref="ItemList"/>), at most <c>concurrency</c> at once,
/// and gathers the answers in the items' order with the list's metadata carried through. Every call
/// goes through the dispatcher, so the step's function scales with the fan-out it receives.
/// </summary>
public sealed class PlanRunner(FunctionCatalog catalog, Dispatcher dispatcher, InvocationRecorder recorder, TimeProvider time)
{
    /// <summary>Runs <paramref name="plan"/> on a request.</summary>
    public async Task<PlanOutcome> RunAsync(DeployedVersion plan, RawRequest request, TimeSpan? callerTimeout, CancellationToken cancellationToken)
    {
        PlanSpec spec = plan.Spec.Plan!;
        TimeSpan timeout = callerTimeout is { } asked && asked < plan.Spec.Timeout ? asked : plan.Spec.Timeout;
        using var timer = new CancellationTokenSource(timeout, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        long started = time.GetTimestamp();
        var timings = new List<StepTiming>(spec.Steps.Count);
        var current = new RawResponse(200, request.ContentType, request.Body);
        string requestId = RequestId(request);
        using Activity? planSpan = Tracing.Source.StartActivity($"plan {plan.Function}");
        planSpan?.SetTag("faas.invoked_name", plan.Function);
        planSpan?.SetTag("faas.invocation_id", requestId);
        try
        {
            for (int s = 0; s < spec.Steps.Count; s++)
            {
                PlanStep step = spec.Steps[s];
                if (catalog.Resolve(step.Function, step.Version) is not { } function)
                {
                    return Failed(ErrorKind.Unavailable, $"plan '{plan.Function}' step '{step.Name}': function '{step.Function}'{(step.Version is null ? "" : $" version '{step.Version}'")} is not deployed");
                }

                long stepStarted = time.GetTimestamp();
                using Activity? stepSpan = Tracing.Source.StartActivity($"step {step.Name}");
                stepSpan?.SetTag("serval.step", step.Name);
                stepSpan?.SetTag("faas.invoked_name", step.Function);
                var (answer, error, items) = step.Map
                    ? await MapAsync(plan, spec, step, function, request.Route, requestId, current, deadline, cancellationToken).ConfigureAwait(false)
                    : await CallOneAsync(plan, step, function, request.Route, requestId, current, null, deadline.Token).ConfigureAwait(false);
                timings.Add(new StepTiming(step.Name, step.Function, items, time.GetElapsedTime(stepStarted).TotalMilliseconds));
                if (error is not null)
                {
                    if (error.Kind == ErrorKind.Timeout || (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested))
                    {
                        return Failed(ErrorKind.Timeout, deadline.IsCancellationRequested
                            ? $"plan '{plan.Function}' did not finish within {timeout.TotalSeconds:0.###} s (in step '{step.Name}')"
                            : error.Message);
                    }

                    return Failed(error.Kind, error.Message);
                }

                current = answer!;
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Failed(ErrorKind.Timeout, $"plan '{plan.Function}' did not finish within {timeout.TotalSeconds:0.###} s");
        }

        return new PlanOutcome(current, null, timings, time.GetElapsedTime(started).TotalMilliseconds);

        PlanOutcome Failed(ErrorKind kind, string message) =>
            new(null, new InvokeError(kind, message), timings, time.GetElapsedTime(started).TotalMilliseconds);
    }

    private async Task<(RawResponse? Answer, InvokeError? Error, int Items)> MapAsync(
        DeployedVersion plan, PlanSpec spec, PlanStep step, DeployedVersion function, string route, string requestId,
        RawResponse input, CancellationTokenSource deadline, CancellationToken callerToken)
    {
        ItemList list;
        try
        {
            list = ItemList.Parse(input.Body);
        }
        catch (FormatException e)
        {
            return (null, new InvokeError(ErrorKind.FunctionError,
                $"plan '{plan.Function}' step '{step.Name}' maps over the answer of the step before it, which is not an item list " +
                $"(content type '{input.ContentType}': {e.Message}); that step's function should answer FunctionResponse.Items(...)"), 0);
        }

        var results = new ReadOnlyMemory<byte>[list.Count];
        var errors = new string?[list.Count];
        using var failFast = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
        using var slots = new SemaphoreSlim(step.Concurrency, step.Concurrency);
        InvokeError? first = null;
        var tasks = new Task[list.Count];
        for (int i = 0; i < list.Count; i++)
        {
            int index = i;
            tasks[i] = Task.Run(async () =>
            {
                if (list.Error(index) is { } earlier)
                {
                    errors[index] = earlier;
                    return;
                }

                await slots.WaitAsync(failFast.Token).ConfigureAwait(false);
                try
                {
                    var item = new RawResponse(200, "application/octet-stream", list[index]);
                    var (answer, error, _) = await CallOneAsync(plan, step, function, route, requestId, item, (index, list.Count), failFast.Token).ConfigureAwait(false);
                    if (error is null)
                    {
                        results[index] = answer!.Body;
                        return;
                    }

                    errors[index] = error.Message;
                    if (!spec.Partial)
                    {
                        if (Interlocked.CompareExchange(ref first, error, null) is null)
                        {
                            await failFast.CancelAsync().ConfigureAwait(false);
                        }
                    }
                }
                finally
                {
                    slots.Release();
                }
            }, CancellationToken.None);
        }

        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (first is not null || deadline.IsCancellationRequested)
        {
            // The items after the first failure (or past the deadline) were not started.
        }

        callerToken.ThrowIfCancellationRequested();
        if (first is not null)
        {
            return (null, first, list.Count);
        }

        if (deadline.IsCancellationRequested)
        {
            return (null, new InvokeError(ErrorKind.Timeout, $"plan '{plan.Function}' step '{step.Name}' ran out of time"), list.Count);
        }

        byte[] gathered = ItemList.Encode(list.Meta.Span, results, errors);
        return (new RawResponse(200, ItemList.ContentType, gathered), null, list.Count);
    }

    private async Task<(RawResponse? Answer, InvokeError? Error, int Items)> CallOneAsync(
        DeployedVersion plan, PlanStep step, DeployedVersion function, string route, string requestId, RawResponse input, (int Index, int Count)? item, CancellationToken cancellationToken)
    {
        string callId = item is { } i ? $"{requestId}.{step.Name}.{i.Index.ToString(CultureInfo.InvariantCulture)}" : $"{requestId}.{step.Name}";
        using Activity? itemSpan = item is { } one ? Tracing.Source.StartActivity($"item {one.Index.ToString(CultureInfo.InvariantCulture)}") : null;
        itemSpan?.SetTag("serval.item", item?.Index);
        KeyValuePair<string, string>[] headers =
        [
            new("x-request-id", callId),
            new("x-serval-request", requestId),
            new("x-serval-plan", plan.Function),
            new("x-serval-step", step.Name),
            new("x-serval-item", item?.Index.ToString(CultureInfo.InvariantCulture) ?? ""),
        ];
        var request = new RawRequest(route, input.ContentType, headers, input.Body);
        InvocationResult result = await dispatcher.InvokeAsync(function, request, step.Timeout, cancellationToken).ConfigureAwait(false);
        recorder.Record(function, result, callId);
        string where = item is { } at
            ? $"plan '{plan.Function}' step '{step.Name}' item {at.Index} of {at.Count}:"
            : $"plan '{plan.Function}' step '{step.Name}':";
        if (result.Outcome.Error is { } failure)
        {
            return (null, failure with { Message = $"{where} {failure.Message}" }, 1);
        }

        try
        {
            object decoded = WireCodec.DecodeResult(result.Outcome.Body);
            if (decoded is not RawResponse raw)
            {
                return (null, new InvokeError(ErrorKind.FunctionError, $"{where} function '{function.Function}' is a model answering tensors; a plan step calls a dotnet function"), 1);
            }

            // The answer lives in a pooled buffer until released: keep a copy for the next step.
            var owned = new RawResponse(raw.StatusCode, raw.ContentType, raw.Body.ToArray());
            if (owned.StatusCode >= 400)
            {
                ErrorKind kind = Enum.IsDefined((ErrorKind)owned.StatusCode) ? (ErrorKind)owned.StatusCode : ErrorKind.FunctionError;
                return (null, new InvokeError(kind, $"{where} {ErrorMessage(owned)}"), 1);
            }

            return (owned, null, 1);
        }
        finally
        {
            result.Outcome.Release();
        }
    }

    /// <summary>The <c>error</c> of a <c>{"error": "..."}</c> answer, or the body as text.</summary>
    private static string ErrorMessage(RawResponse answer)
    {
        try
        {
            using var document = JsonDocument.Parse(answer.Body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out JsonElement error))
            {
                return error.ToString();
            }
        }
        catch (JsonException)
        {
        }

        string text = Encoding.UTF8.GetString(answer.Body.Span);
        return text.Length <= 500 ? $"status {answer.StatusCode}: {text}" : $"status {answer.StatusCode}: {text[..500]}...";
    }

    private static string RequestId(RawRequest request)
    {
        foreach (var (key, value) in request.Headers)
        {
            if (key == "x-request-id")
            {
                return value;
            }
        }

        return Guid.NewGuid().ToString("N");
    }
}
