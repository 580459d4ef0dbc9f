using Serval.Core.Security;
using Serval.TestSupport;

namespace Serval.Core.Tests.Security;

public class RateBucketTests
{
    [Fact]
    public void Take_FullBucket_LetsTheLimitThroughThenRefusesWithTheRefillTime()
    {
        var clock = new FakeTimeProvider();
        RateBucket bucket = RateBucket.Full(30, clock.GetUtcNow());
        for (int i = 0; i < 30; i++)
        {
            (bucket, bool allowed, _) = bucket.Take(30, clock.GetUtcNow());
            Assert.True(allowed, $"request {i + 1} of 30");
        }

        var (_, refused, retry) = bucket.Take(30, clock.GetUtcNow());

        Assert.False(refused);
        Assert.Equal(TimeSpan.FromSeconds(2), retry); // 30 per minute: one every 2 s
    }

    [Theory]
    // rpm, seconds waited after emptying the bucket → requests that pass then
    [InlineData(30, 1, 0)]
    [InlineData(30, 2, 1)]
    [InlineData(30, 10, 5)]
    [InlineData(60, 60, 60)]
    [InlineData(60, 600, 60)] // never more than a minute's worth
    [InlineData(1, 59, 0)]
    [InlineData(1, 60, 1)]
    public void Take_AfterAWait_RefillsEvenly(int rpm, int seconds, int passes)
    {
        var clock = new FakeTimeProvider();
        RateBucket bucket = new(0, clock.GetUtcNow());
        clock.Advance(TimeSpan.FromSeconds(seconds));

        int passed = 0;
        while (true)
        {
            (bucket, bool allowed, _) = bucket.Take(rpm, clock.GetUtcNow());
            if (!allowed)
            {
                break;
            }

            passed++;
        }

        Assert.Equal(passes, passed);
    }

    [Theory]
    // rpm, tokens left → Retry-After (whole seconds, at least 1)
    [InlineData(1, 0, 60)]
    [InlineData(6, 0, 10)]
    [InlineData(6, 0.5, 5)]
    [InlineData(120, 0, 1)]
    [InlineData(7, 0, 9)] // 60 / 7 = 8.57 s, rounded up
    public void Take_Empty_RetryAfterIsTheTimeToOneToken(int rpm, double tokens, int seconds)
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var (_, allowed, retry) = new RateBucket(tokens, now).Take(rpm, now);

        Assert.False(allowed);
        Assert.Equal(TimeSpan.FromSeconds(seconds), retry);
    }

    [Fact]
    public void Take_ClockStepsBack_RefillsNothing()
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var (_, allowed, _) = new RateBucket(0, now).Take(60, now.AddMinutes(-5));

        Assert.False(allowed);
    }
}
