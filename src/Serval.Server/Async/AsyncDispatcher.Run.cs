using System.Text;
using Serval.Core.Async;
using Serval.Core.Specs;
using Serval.Core.Wire;
using Serval.Node.Instances;
using Serval.Server.Dispatch;
using Serval.Server.Functions;
using Serval.Server.Gateway.Oip;
using Serval.Server.Monitoring;

namespace Serval.Server.Async;

/// <summary>One run of a claimed invocation, and what its end makes of the invocation.</summary>
public sealed partial class AsyncDispatcher
{
    /// <summary>The condition of a success, in destination records.</summary>
    public const string Success = "Success";

    private async Task RunAsync(ClaimedInvocation invocation, AsyncRun run)
    {
        Completion completion;
        try
        {
            completion = await ExecuteAsync(invocation, run).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogRunFailed(e, invocation.Id);
            DateTimeOffset now = _time.GetUtcNow();
            completion = new Completion(invocation.Id, invocation.Attempt, now, InvocationStatus.Queued, now + _options.Retry.BaseDelay, $"the platform failed to run it: {e.Message}", ErrorClass.System, "");
        }
        finally
        {
            run.Dispose();
            _inFlight.AddOrUpdate(invocation.Function, 0, (_, n) => n - 1);
            _hot[invocation.Function] = 0;
            _wakeup.Set();
        }

        try
        {
            await FinishAsync(invocation, completion).ConfigureAwait(false);
        }
        finally
        {
            _held.TryRemove(invocation.Id, out _);
            run.Finished.TrySetResult();
        }
    }

    private async Task FinishAsync(ClaimedInvocation invocation, Completion completion)
    {
        // A store that fails now is likely to fail for good; three tries, then the lease lapses and
        // the invocation is run again (at least once, never lost).
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                if (!await _store.CompleteAsync(completion, Owner).ConfigureAwait(false))
                {
                    LogLeaseLost(invocation.Id);
                    return;
                }

                break;
            }
            catch (Exception e) when (e is not OutOfMemoryException && attempt < 3)
            {
                LogCompleteFailed(e, invocation.Id);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), _time).ConfigureAwait(false);
            }
        }

        if (completion.Status == InvocationStatus.Queued && completion.Due is { } due)
        {
            lock (_retries)
            {
                _retries.Enqueue(invocation.Function, due);
            }

            _wakeup.Set();
        }
        else if (completion.Status.IsFinal())
        {
            _metrics.AsyncEnded(invocation.Function, invocation.Version, completion.Status.ToString());
        }

        if (completion.Delivery?.Submission is { } submission)
        {
            Notify(submission.Function);
        }
        else if (completion.Delivery is { Kind: Core.Specs.DestinationKind.Webhook })
        {
            WebhookQueued?.Invoke();
        }
    }

    private async Task<Completion> ExecuteAsync(ClaimedInvocation c, AsyncRun run)
    {
        DateTimeOffset now = _time.GetUtcNow();
        if (_catalog.Functions.GetValueOrDefault(c.Function)?.Find(c.Version) is not { } version)
        {
            return new Completion(c.Id, c.Attempt, now, InvocationStatus.Failed, null, null, null, "")
            {
                Ran = false,
                Reason = $"function '{c.Function}' v{c.Version} no longer exists: it was deleted before it could run",
                Condition = "FunctionMissing",
            };
        }

        AsyncSpec spec = version.Spec.Async;
        if (RetryPolicy.IsExpired(spec, c.Created, now))
        {
            return Ended(c, version, now, InvocationStatus.Expired, RetryPolicy.ExpiredReason(spec), RetryPolicy.EventAgeExceeded, 0, null, null, null, "", ran: false);
        }

        if (version.Spec.Runtime == RuntimeKind.Plan)
        {
            return await ExecutePlanAsync(c, version, run).ConfigureAwait(false);
        }

        var (request, oip, badInput) = AsyncRequests.Build(version, c.Id, c.Attempt, c.Request);
        if (request is null)
        {
            string error = $"bad input: {badInput}";
            return Ended(c, version, now, InvocationStatus.Failed, error, "BadInput", (int)ErrorKind.BadInput, error, ErrorClass.Function, null, "");
        }

        InvocationResult result;
        try
        {
            result = await _dispatcher.InvokeAsync(version, request, null, run.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            result = new InvocationResult(InvokeOutcome.Fail(ErrorKind.Timeout, "the run was stopped"), "", false, 0, 0);
        }

        _recorder.Record(version, result, c.Id);
        now = _time.GetUtcNow();
        if (run.Cancelled)
        {
            result.Outcome.Release();
            return CancelledWhileRunning(c, now, result.InstanceId);
        }

        if (_stopping.IsCancellationRequested && result.Outcome.Error is not null)
        {
            // Cut short by the platform stopping (an answer that came in time is kept).
            return Interrupted(c, now, result.InstanceId);
        }

        if (result.Outcome.Error is { } failure)
        {
            ErrorClass errorClass = ErrorClasses.Of(failure.Kind, result.InstanceId.Length > 0);
            return Failed(c, version, now, (int)failure.Kind, failure.Message, errorClass, null, result.InstanceId);
        }

        StoredResult answer;
        try
        {
            answer = AsyncRequests.Render(version, c.Id, c.Request, oip, result.Outcome.Body);
        }
        finally
        {
            result.Outcome.Release();
        }

        if (ErrorClasses.OfStatus(answer.StatusCode) is { } functionError)
        {
            string message = $"the function answered {answer.StatusCode}: {Excerpt(answer)}";
            return Failed(c, version, now, answer.StatusCode, message, functionError, answer, result.InstanceId);
        }

        return Ended(c, version, now, InvocationStatus.Succeeded, null, Success, answer.StatusCode, null, null, answer, result.InstanceId);
    }

    /// <summary>A failed run: retried, failed or expired as the policy says.</summary>
    private Completion Failed(ClaimedInvocation c, DeployedVersion version, DateTimeOffset now, int statusCode, string error, ErrorClass errorClass, StoredResult? answer, string instance)
    {
        bool counted = errorClass != ErrorClass.System;
        var run = new FailedRun(errorClass, c.CountedFailures + (counted ? 1 : 0), counted ? 0 : c.SystemFailures + 1, c.Created, now);
        RetryDecision decision = RetryPolicy.Decide(version.Spec.Async, _options.Retry, run, Random.Shared.NextDouble());
        if (decision.Verdict == RetryVerdict.Retry)
        {
            return new Completion(c.Id, c.Attempt, now, InvocationStatus.Queued, decision.At, error, errorClass, instance) { Result = answer };
        }

        InvocationStatus status = decision.Verdict == RetryVerdict.Fail ? InvocationStatus.Failed : InvocationStatus.Expired;
        return Ended(c, version, now, status, $"{decision.Reason}; last error: {error}", decision.Condition, statusCode, error, errorClass, answer, instance);
    }

    /// <summary>The end of a run cancelled by request while it ran.</summary>
    private static Completion CancelledWhileRunning(ClaimedInvocation c, DateTimeOffset now, string instance) =>
        new(c.Id, c.Attempt, now, InvocationStatus.Cancelled, null, "cancelled by request", null, instance)
        {
            Reason = "cancelled by request while running",
        };

    /// <summary>A run cut short by the platform stopping: queued again at once, not counted against the retries.</summary>
    private static Completion Interrupted(ClaimedInvocation c, DateTimeOffset now, string instance) =>
        new(c.Id, c.Attempt, now, InvocationStatus.Queued, now, "interrupted: the platform stopped", ErrorClass.System, instance);

    /// <summary>A final end, with the record for the destination its status calls for.</summary>
    private Completion Ended(ClaimedInvocation c, DeployedVersion version, DateTimeOffset now, InvocationStatus status, string? reason, string condition,
        int statusCode, string? error, ErrorClass? errorClass, StoredResult? answer, string instance, bool ran = true)
    {
        AsyncSpec spec = version.Spec.Async;
        Destination? destination = status == InvocationStatus.Succeeded ? spec.OnSuccess : spec.OnFailure;
        NewDelivery? delivery = null;
        if (destination is not null)
        {
            int runs = ran ? c.Attempt : c.Attempt - 1;
            var facts = new RecordFacts(c.Id, c.Function, c.Version, condition, runs, now, c.Request, statusCode, error, errorClass?.Name(), answer);
            delivery = Delivery(c, destination, condition, DestinationRecords.Build(facts), now);
        }

        return new Completion(c.Id, c.Attempt, now, status, null, error, errorClass, instance)
        {
            Ran = ran,
            Reason = reason,
            Condition = condition,
            Result = answer,
            Delivery = delivery,
        };
    }

    /// <summary>A webhook delivery, or a function's invocation of the record (or why there can be none).</summary>
    private NewDelivery Delivery(ClaimedInvocation c, Destination destination, string condition, byte[] record, DateTimeOffset now)
    {
        if (destination.Kind == DestinationKind.Webhook)
        {
            return new NewDelivery(destination.Target, DestinationKind.Webhook, condition, record, null, null);
        }

        if (c.Depth + 1 > _options.MaxChainDepth)
        {
            return new NewDelivery(destination.Target, DestinationKind.Function, condition, record, null,
                $"the chain of destinations is deeper than {_options.MaxChainDepth}: not invoked (is there a loop through '{destination.Target}'?)");
        }

        if (_catalog.Resolve(destination.Target, null) is not { } target)
        {
            return new NewDelivery(destination.Target, DestinationKind.Function, condition, record, null, $"no function named '{destination.Target}' is deployed");
        }

        var request = new StoredRequest("", "application/json", StoredRequest.NoHeaders, record);
        var submission = new NewInvocation(AsyncInvocations.NewId(now), target.Function, target.Version, request, now, "destination", c.Id, c.Depth + 1, null, null);
        return new NewDelivery(destination.Target, DestinationKind.Function, condition, record, submission, null);
    }

    /// <summary>The start of an error answer's body, for the attempt's error text.</summary>
    private static string Excerpt(StoredResult answer)
    {
        ReadOnlySpan<byte> body = answer.Body.Span[..Math.Min(answer.Body.Length, 300)];
        bool readable = DestinationRecords.IsJson(answer.ContentType) || DestinationRecords.IsText(answer.ContentType);
        string text = readable ? Encoding.UTF8.GetString(body) : $"{answer.Body.Length} bytes of {answer.ContentType}";
        return answer.Body.Length > 300 ? text + "…" : text;
    }
}
