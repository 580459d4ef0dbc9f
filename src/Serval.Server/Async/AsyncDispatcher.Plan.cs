using Serval.Core.Async;
using Serval.Core.Wire;
using Serval.Server.Functions;
using Serval.Server.Plans;

namespace Serval.Server.Async;

/// <summary>
/// A job: one run of a claimed invocation of a plan. The plan runs as a synchronous call would, its
/// map steps fanning out through the dispatcher; its end goes through the same retry policy and
/// destinations as a function's, so a plan's <c>onSuccess</c> is the step after the job.
/// </summary>
public sealed partial class AsyncDispatcher
{
    private async Task<Completion> ExecutePlanAsync(ClaimedInvocation c, DeployedVersion plan, AsyncRun run)
    {
        var request = new RawRequest(c.Request.Route, c.Request.ContentType, AsyncRequests.RunHeaders(c.Id, c.Attempt), c.Request.Body);
        PlanOutcome? outcome;
        try
        {
            outcome = await _plans.RunAsync(plan, request, null, run.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (run.Token.IsCancellationRequested)
        {
            outcome = null;
        }

        DateTimeOffset now = _time.GetUtcNow();
        if (outcome is not null)
        {
            _recorder.Record(plan, outcome);
        }

        if (run.Cancelled)
        {
            return CancelledWhileRunning(c, now, "");
        }

        if (_stopping.IsCancellationRequested || outcome is null)
        {
            return Interrupted(c, now, "");
        }

        if (outcome.Error is { } failure)
        {
            // A step's capacity failure (503, 429, a crashed instance) is the platform's; a step's own
            // error or the plan's deadline counts against the retries, as for a function.
            return Failed(c, plan, now, (int)failure.Kind, failure.Message, ErrorClasses.Of(failure.Kind, ranOnInstance: true), null, "");
        }

        RawResponse answer = outcome.Answer!;
        var described = new Dictionary<string, string> { ["X-Serval-Steps"] = outcome.Describe(plan.Spec.Plan!) };
        var result = new StoredResult(answer.StatusCode, answer.ContentType, described, answer.Body);
        return Ended(c, plan, now, InvocationStatus.Succeeded, null, Success, answer.StatusCode, null, null, result, "");
    }
}
