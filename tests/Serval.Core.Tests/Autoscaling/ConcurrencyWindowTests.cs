using Serval.Core.Autoscaling;

namespace Serval.Core.Tests.Autoscaling;

public class ConcurrencyWindowTests
{
    private static readonly DateTimeOffset T0 = Scenario.T0;

    private static DateTimeOffset At(double seconds) => T0 + TimeSpan.FromSeconds(seconds);

    [Theory]
    // samples "second:level", asked at a second over a window of seconds → the mean
    [InlineData("0:10,1:0", 2, 2, 5)]                 // 10 for 1 s, 0 for 1 s
    [InlineData("0:10,1:0", 2, 1, 0)]                 // only the last second
    [InlineData("0:4,0.5:8", 1, 1, 6)]                // two samples in one bucket: 4 × 0.5 + 8 × 0.5
    [InlineData("0:6", 10, 2, 6)]                     // the latest level holds until asked
    [InlineData("0:0,5:10", 6, 20, 10.0 / 6)]         // 6 s observed: 10 for 1 of them
    [InlineData("5:10", 6, 20, 10)]                   // before the first sample is left out
    [InlineData("0:10,30:0", 31, 20, 9.5)]            // a gap longer than the ring: 10 for 19 of 20 s
    [InlineData("0:10,100:0", 130, 20, 0)]            // old load has left the window
    [InlineData("0:3,0.2:5,0.4:2,0.6:0", 2, 2, 1)]    // (3 + 5 + 2) × 0.2 s over 2 s
    public void Average_Samples_GiveTheTimeWeightedMean(string samples, double now, double window, double expected)
    {
        var concurrency = new ConcurrencyWindow(TimeSpan.FromSeconds(20));
        foreach (var sample in samples.Split(','))
        {
            var parts = sample.Split(':');
            concurrency.Record(At(double.Parse(parts[0])), int.Parse(parts[1]));
        }

        Assert.Equal(expected, concurrency.Average(At(now), TimeSpan.FromSeconds(window)), 9);
    }

    [Fact]
    public void Average_NoSample_IsZero()
    {
        var concurrency = new ConcurrencyWindow(TimeSpan.FromSeconds(20));

        Assert.Equal(0, concurrency.Average(T0, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void Average_FirstSampleJustNow_IsThatSample()
    {
        var concurrency = new ConcurrencyWindow(TimeSpan.FromSeconds(20));
        concurrency.Record(T0, 7);

        Assert.Equal(7, concurrency.Average(T0, TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void Average_FineBuckets_CutTheOldestBucketExactly()
    {
        // 4 in flight from 9.5 s to 10 s; the window 9.25 … 11.25 holds all of it: 4 × 0.5 / 2 = 1.
        var concurrency = new ConcurrencyWindow(TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(250));
        concurrency.Record(At(0), 0);
        concurrency.Record(At(9.5), 4);
        concurrency.Record(At(10), 0);

        Assert.Equal(1, concurrency.Average(At(11.25), TimeSpan.FromSeconds(2)), 9);
    }

    [Fact]
    public void Record_EarlierThanTheLatest_CountsAsTheLatestTime()
    {
        var concurrency = new ConcurrencyWindow(TimeSpan.FromSeconds(20));
        concurrency.Record(At(0), 0);
        concurrency.Record(At(10), 2);
        concurrency.Record(At(9), 8);

        Assert.Equal(8, concurrency.Latest);
        Assert.Equal(8, concurrency.Average(At(12), TimeSpan.FromSeconds(2)), 9);
    }

    [Fact]
    public void Average_WindowLongerThanTheRing_Throws()
    {
        var concurrency = new ConcurrencyWindow(TimeSpan.FromSeconds(20));

        Assert.Throws<ArgumentOutOfRangeException>(() => concurrency.Average(T0, TimeSpan.FromSeconds(21)));
    }

    [Fact]
    public void Observe_DefaultOptions_GivesStableAndPanicMeans()
    {
        var concurrency = new ConcurrencyWindow(TimeSpan.FromSeconds(20));
        concurrency.Record(At(0), 1);
        concurrency.Record(At(18), 21);

        var observed = concurrency.Observe(At(20), new AutoscalerOptions());

        Assert.Equal((1 * 18 + 21 * 2) / 20.0, observed.Stable, 9);
        Assert.Equal(21, observed.Panic, 9);
    }

    [Fact]
    public void Record_ManySamples_AllocatesNothing()
    {
        var concurrency = new ConcurrencyWindow(TimeSpan.FromSeconds(20));
        concurrency.Record(T0, 1);
        concurrency.Record(At(0.001), 2); // warm the method up

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 1; i <= 10_000; i++)
        {
            concurrency.Record(At(i * 0.013), i % 17);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.Equal(10_000 % 17, concurrency.Latest);
    }
}
