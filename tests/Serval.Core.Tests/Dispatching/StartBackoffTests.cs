using Serval.Core.Dispatching;
using Serval.Core.Retries;

namespace Serval.Core.Tests.Dispatching;

public class StartBackoffTests
{
    private static readonly Backoff Backoff = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void MayStart_NoFailureYet_AtOnce() => Assert.True(default(StartBackoff).MayStart(T0));

    [Theory]
    // failures in a row → the wait after the last: 1, 2, 4, 8, 16, then the 30 s cap.
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(5, 16)]
    [InlineData(6, 30)]
    [InlineData(20, 30)]
    public void AfterFailure_FailuresInARow_WaitDoublesUpToTheCap(int failures, double seconds)
    {
        StartBackoff backoff = default;
        for (int i = 0; i < failures; i++)
        {
            backoff = backoff.AfterFailure(T0, Backoff);
        }

        Assert.Equal(failures, backoff.Failures);
        Assert.Equal(T0 + TimeSpan.FromSeconds(seconds), backoff.NextStartAt);
        Assert.False(backoff.MayStart(T0 + TimeSpan.FromSeconds(seconds) - TimeSpan.FromTicks(1)));
        Assert.True(backoff.MayStart(T0 + TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void AfterSuccess_CountStartsAgain_WaitAlreadySetRunsOut()
    {
        StartBackoff failed = default(StartBackoff).AfterFailure(T0, Backoff).AfterFailure(T0, Backoff).AfterFailure(T0, Backoff);

        StartBackoff healed = failed.AfterSuccess();

        Assert.Equal(0, healed.Failures);
        Assert.Equal(T0 + TimeSpan.FromSeconds(4), healed.NextStartAt);
        // The next failure waits the first step again, from its own time.
        StartBackoff again = healed.AfterFailure(T0 + TimeSpan.FromSeconds(10), Backoff);
        Assert.Equal(T0 + TimeSpan.FromSeconds(11), again.NextStartAt);
    }
}
