using Serval.Core.Retries;
using Serval.Core.Specs;

namespace Serval.Core.Async;

/// <summary>
/// Whether and when a failed asynchronous run is tried again: a pure function of the spec, the
/// failure, the time and one uniform random sample.
/// </summary>
public static class RetryPolicy
{
    /// <summary>The condition of an invocation whose retries are spent.</summary>
    public const string RetriesExhausted = "RetriesExhausted";

    /// <summary>The condition of an invocation that passed <c>async.maxAge</c>.</summary>
    public const string EventAgeExceeded = "EventAgeExceeded";

    /// <summary>
    /// Function errors and timeouts are retried <c>async.retries</c> times (retries: 2 → a third
    /// failure ends it <c>Failed</c>); capacity and system errors are retried whatever their number.
    /// Each retry waits <see cref="Backoff.FullJitter"/> of its ordinal in its class; one that would
    /// start at or past <c>created + async.maxAge</c> is not made: the invocation ends <c>Expired</c>.
    /// Example: retries 2, base 1 s, sample 0.5: the first function error retries after 0.5 s, the
    /// second after 1 s, the third fails.
    /// </summary>
    public static RetryDecision Decide(AsyncSpec spec, RetryOptions options, in FailedRun run, double random)
    {
        int ordinal;
        if (run.Class == ErrorClass.System)
        {
            ordinal = Math.Max(1, run.SystemFailures);
        }
        else
        {
            if (run.CountedFailures > spec.Retries)
            {
                string runs = run.CountedFailures == 1 ? "its one run failed" : $"all {run.CountedFailures} runs failed";
                return new RetryDecision(RetryVerdict.Fail, run.Now, RetriesExhausted, $"retries exhausted: {runs} (async.retries: {spec.Retries})");
            }

            ordinal = Math.Max(1, run.CountedFailures);
        }

        DateTimeOffset at = run.Now + options.Backoff.FullJitter(ordinal, random);
        if (IsExpired(spec, run.Created, at))
        {
            return new RetryDecision(RetryVerdict.Expire, run.Now, EventAgeExceeded, ExpiredReason(spec));
        }

        return new RetryDecision(RetryVerdict.Retry, at, "", "");
    }

    /// <summary>True when an invocation accepted at <paramref name="created"/> may no longer start at <paramref name="now"/>.</summary>
    public static bool IsExpired(AsyncSpec spec, DateTimeOffset created, DateTimeOffset now) => now >= created + spec.MaxAge;

    /// <summary>The reason an expired invocation gives.</summary>
    public static string ExpiredReason(AsyncSpec spec) =>
        $"expired: no run succeeded within async.maxAge ({SpecUnits.FormatDuration(spec.MaxAge)}) of its acceptance";
}
