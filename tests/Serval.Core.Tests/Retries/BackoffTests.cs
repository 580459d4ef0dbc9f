using Serval.Core.Retries;

namespace Serval.Core.Tests.Retries;

public class BackoffTests
{
    private static readonly Backoff Async = new(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));

    [Theory]
    // Base 1 s, cap 30 s (instance starts): 1, 2, 4, 8, 16, then 30.
    [InlineData(1000, 30_000, 0, 0)]
    [InlineData(1000, 30_000, -3, 0)]
    [InlineData(1000, 30_000, 1, 1000)]
    [InlineData(1000, 30_000, 2, 2000)]
    [InlineData(1000, 30_000, 5, 16_000)]
    [InlineData(1000, 30_000, 6, 30_000)]
    [InlineData(1000, 30_000, 1000, 30_000)]
    // Base 1 s, cap 60 s (pooled processes): 64 s is capped.
    [InlineData(1000, 60_000, 7, 60_000)]
    // A base that does not divide the cap.
    [InlineData(250, 1000, 3, 1000)]
    [InlineData(250, 1000, 2, 500)]
    public void Delay_DoublesPerFailureUpToTheCap(int baseMs, int capMs, int n, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), new Backoff(TimeSpan.FromMilliseconds(baseMs), TimeSpan.FromMilliseconds(capMs)).Delay(n));

    [Fact]
    public void Delay_HugeBaseAndCount_StaysAtTheCap() =>
        Assert.Equal(TimeSpan.FromDays(365), new Backoff(TimeSpan.FromDays(30), TimeSpan.FromDays(365)).Delay(int.MaxValue));

    [Theory]
    // Ceilings 1, 2, 4, 8 s ... 256 s, then the 300 s cap.
    [InlineData(1, 0.5, 0.5)]
    [InlineData(3, 0.5, 2)]
    [InlineData(4, 0.25, 2)]
    [InlineData(9, 0.5, 128)]
    [InlineData(10, 0.5, 150)]
    [InlineData(1000, 0.5, 150)]
    [InlineData(5, 0, 0)]
    public void FullJitter_SampleTimesCeiling(int n, double sample, double seconds) =>
        Assert.Equal(seconds, Async.FullJitter(n, sample).TotalSeconds, precision: 6);

    [Fact]
    public void FullJitter_ManySamples_StayBelowTheCeilingAndSpreadOverIt()
    {
        var random = new Random(7);
        TimeSpan[] delays = Enumerable.Range(0, 1000).Select(_ => Async.FullJitter(4, random.NextDouble())).ToArray();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromSeconds(8)));
        Assert.InRange(delays.Average(d => d.TotalSeconds), 3.5, 4.5);
    }

    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(1, 1.0)]
    [InlineData(1, -0.1)]
    [InlineData(1, double.NaN)]
    public void FullJitter_BadArguments_Throw(int n, double sample) =>
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => Async.FullJitter(n, sample));
}
