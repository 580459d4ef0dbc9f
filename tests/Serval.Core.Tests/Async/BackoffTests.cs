using Serval.Core.Async;

namespace Serval.Core.Tests.Async;

public class BackoffTests
{
    private static readonly TimeSpan Base = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Cap = TimeSpan.FromMinutes(5);

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
        Assert.Equal(seconds, Backoff.FullJitter(n, Base, Cap, sample).TotalSeconds, precision: 6);

    [Fact]
    public void FullJitter_ManySamples_StayBelowTheCeilingAndSpreadOverIt()
    {
        var random = new Random(7);
        TimeSpan[] delays = Enumerable.Range(0, 1000).Select(_ => Backoff.FullJitter(4, Base, Cap, random.NextDouble())).ToArray();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromSeconds(8)));
        Assert.InRange(delays.Average(d => d.TotalSeconds), 3.5, 4.5);
    }

    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(1, 1.0)]
    [InlineData(1, -0.1)]
    public void FullJitter_BadArguments_Throw(int n, double sample) =>
        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => Backoff.FullJitter(n, Base, Cap, sample));
}
