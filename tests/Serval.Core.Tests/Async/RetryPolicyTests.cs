using Serval.Core.Async;
using Serval.Core.Specs;

namespace Serval.Core.Tests.Async;

/// <summary>The retry policy on a fixed clock and fixed random samples.</summary>
public class RetryPolicyTests
{
    private static readonly DateTimeOffset Created = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly RetryOptions Options = new() { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromMinutes(5) };
    private static readonly AsyncSpec TwoRetries = new() { Retries = 2, MaxAge = TimeSpan.FromHours(6) };

    [Theory]
    // First failure: up to 1 s; second: up to 2 s (sample 0.5 → 0.5 s, 1 s).
    [InlineData(1, 0.5, 500)]
    [InlineData(2, 0.5, 1000)]
    [InlineData(2, 0.0, 0)]
    [InlineData(2, 0.999, 1998)]
    public void Decide_FunctionErrorWithRetriesLeft_RetriesAfterJitteredDelay(int failures, double sample, int expectedMs)
    {
        DateTimeOffset now = Created.AddSeconds(10);

        RetryDecision decision = RetryPolicy.Decide(TwoRetries, Options, new FailedRun(ErrorClass.Function, failures, 0, Created, now), sample);

        Assert.Equal(RetryVerdict.Retry, decision.Verdict);
        Assert.Equal(expectedMs, (decision.At - now).TotalMilliseconds, precision: 0);
        Assert.Equal("", decision.Condition);
    }

    [Theory]
    [InlineData(ErrorClass.Function)]
    [InlineData(ErrorClass.Timeout)]
    public void Decide_ThirdCountedFailureWithTwoRetries_Fails(ErrorClass errorClass)
    {
        DateTimeOffset now = Created.AddSeconds(3);

        RetryDecision decision = RetryPolicy.Decide(TwoRetries, Options, new FailedRun(errorClass, 3, 0, Created, now), 0.5);

        Assert.Equal(RetryVerdict.Fail, decision.Verdict);
        Assert.Equal(RetryPolicy.RetriesExhausted, decision.Condition);
        Assert.Equal("retries exhausted: all 3 runs failed (async.retries: 2)", decision.Reason);
        Assert.Equal(now, decision.At);
    }

    [Fact]
    public void Decide_ZeroRetries_FailsAfterTheOneRun()
    {
        RetryDecision decision = RetryPolicy.Decide(new AsyncSpec { Retries = 0 }, Options, new FailedRun(ErrorClass.Function, 1, 0, Created, Created), 0.1);

        Assert.Equal(RetryVerdict.Fail, decision.Verdict);
        Assert.Equal("retries exhausted: its one run failed (async.retries: 0)", decision.Reason);
    }

    [Fact]
    public void Decide_SystemErrors_RetryPastTheRetryCountUntilMaxAge()
    {
        // 50 capacity failures in a row on a spec with 2 retries: still retried, the ceiling capped at 5 min.
        DateTimeOffset now = Created.AddHours(1);

        RetryDecision decision = RetryPolicy.Decide(TwoRetries, Options, new FailedRun(ErrorClass.System, 0, 50, Created, now), 0.5);

        Assert.Equal(RetryVerdict.Retry, decision.Verdict);
        Assert.Equal(TimeSpan.FromMinutes(2.5), decision.At - now);
    }

    [Fact]
    public void Decide_RetryWouldStartPastMaxAge_Expires()
    {
        // Accepted 12:00 with maxAge 6 h; failing at 17:59:59 with a 2.5 min wait → 18:02:29 is past 18:00.
        DateTimeOffset now = Created.AddHours(6).AddSeconds(-1);

        RetryDecision decision = RetryPolicy.Decide(TwoRetries, Options, new FailedRun(ErrorClass.System, 0, 20, Created, now), 0.5);

        Assert.Equal(RetryVerdict.Expire, decision.Verdict);
        Assert.Equal(RetryPolicy.EventAgeExceeded, decision.Condition);
        Assert.Equal("expired: no run succeeded within async.maxAge (6h) of its acceptance", decision.Reason);
    }

    [Fact]
    public void Decide_FunctionErrorNearMaxAge_ExpiresRatherThanRetries()
    {
        var spec = new AsyncSpec { Retries = 8, MaxAge = TimeSpan.FromMinutes(1) };

        RetryDecision decision = RetryPolicy.Decide(spec, Options, new FailedRun(ErrorClass.Function, 1, 0, Created, Created.AddSeconds(59.9)), 0.5);

        Assert.Equal(RetryVerdict.Expire, decision.Verdict);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(21599, false)]
    [InlineData(21600, true)]
    public void IsExpired_AtMaxAge_True(int secondsAfter, bool expired) =>
        Assert.Equal(expired, RetryPolicy.IsExpired(TwoRetries, Created, Created.AddSeconds(secondsAfter)));
}
