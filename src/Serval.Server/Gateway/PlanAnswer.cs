using System.Globalization;
using Serval.Core.Wire;
using Serval.Server.Functions;
using Serval.Server.Monitoring;
using Serval.Server.Plans;

namespace Serval.Server.Gateway;

/// <summary>Runs a plan for <c>/fn/{plan}</c> and writes its answer, with the step timings in <c>X-Serval-Steps</c>.</summary>
internal static class PlanAnswer
{
    public static async Task RunAsync(HttpContext context, DeployedVersion plan, RawRequest request, string requestId, TimeSpan? callerTimeout)
    {
        var services = context.RequestServices;
        PlanOutcome outcome = await services.GetRequiredService<PlanRunner>().RunAsync(plan, request, callerTimeout, context.RequestAborted).ConfigureAwait(false);
        services.GetRequiredService<InvocationRecorder>().Record(plan, outcome);

        var headers = context.Response.Headers;
        headers["X-Request-Id"] = requestId;
        headers["X-Serval-Version"] = plan.Version.ToString(CultureInfo.InvariantCulture);
        headers["X-Serval-Duration-Ms"] = outcome.DurationMs.ToString("0.###", CultureInfo.InvariantCulture);
        headers["X-Serval-Steps"] = outcome.Describe(plan.Spec.Plan!);
        if (outcome.Error is { } error)
        {
            await Errors.WriteAsync(context, error).ConfigureAwait(false);
            return;
        }

        RawResponse answer = outcome.Answer!;
        context.Response.StatusCode = answer.StatusCode;
        context.Response.ContentType = answer.ContentType;
        context.Response.ContentLength = answer.Body.Length;
        await context.Response.Body.WriteAsync(answer.Body, context.RequestAborted).ConfigureAwait(false);
    }
}
