namespace Serval.Core.Async;

/// <summary>What becomes of an invocation after a failed run.</summary>
public enum RetryVerdict
{
    /// <summary>Run it again at <see cref="RetryDecision.At"/>.</summary>
    Retry,

    /// <summary>It ends <c>Failed</c>: its retries are spent.</summary>
    Fail,

    /// <summary>It ends <c>Expired</c>: the next run would start past <c>async.maxAge</c>.</summary>
    Expire,
}

/// <summary>A failed run of an asynchronous invocation, as the retry policy sees it.</summary>
/// <param name="Class">Why it failed.</param>
/// <param name="CountedFailures">Failed runs that count against <c>async.retries</c> (function errors and timeouts), this one included.</param>
/// <param name="SystemFailures">Capacity and system failures in a row, this one included (0 when this one counted).</param>
/// <param name="Created">When the invocation was accepted.</param>
/// <param name="Now">When the run failed.</param>
public readonly record struct FailedRun(ErrorClass Class, int CountedFailures, int SystemFailures, DateTimeOffset Created, DateTimeOffset Now);

/// <summary>The decision: retry at a time, or end, with the condition a destination record names.</summary>
/// <param name="Verdict">Retry, fail or expire.</param>
/// <param name="At">When to retry (for <see cref="RetryVerdict.Retry"/>); else the time of the decision.</param>
/// <param name="Condition"><c>RetriesExhausted</c> or <c>EventAgeExceeded</c> when it ends; empty for a retry.</param>
/// <param name="Reason">Why, in words, for the status API.</param>
public readonly record struct RetryDecision(RetryVerdict Verdict, DateTimeOffset At, string Condition, string Reason);
