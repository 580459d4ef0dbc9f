using Serval.Core.Releases;

namespace Serval.Core.Tests.Releases;

/// <summary>Where the serving alias sends a caller: one version, or a canary by bucket and business.</summary>
public class TrafficSplitTests
{
    [Fact]
    public void Choose_NoCanary_AlwaysStable()
    {
        var split = new TrafficSplit(3);

        Assert.False(split.Splits);
        Assert.Equal(3, split.Choose("acme", 0));
        Assert.Equal([(3, 100)], split.Weights);
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(9, 4)]
    [InlineData(10, 3)]
    [InlineData(99, 3)]
    public void Choose_TenPercent_BucketsBelowTenGoToTheCanary(int bucket, int expected)
    {
        var split = new TrafficSplit(3, 4, 10);

        Assert.Equal(expected, split.Choose(null, bucket));
        Assert.Equal([(3, 90), (4, 10)], split.Weights);
    }

    [Fact]
    public void Choose_BidsLimit_OthersStayOnStableWhateverTheirBucket()
    {
        var split = new TrafficSplit(3, 4, 50) { Bids = new HashSet<string> { "acme" } };

        Assert.Equal(4, split.Choose("acme", 0));
        Assert.Equal(3, split.Choose("other", 0));
        Assert.Equal(3, split.Choose(null, 0));
    }

    [Fact]
    public void Bucket_SameKey_SameBucketAndInRange()
    {
        Assert.Equal(TrafficSplit.Bucket("caller-7", 4), TrafficSplit.Bucket("caller-7", 4));
        var buckets = Enumerable.Range(0, 1000).Select(i => TrafficSplit.Bucket($"caller-{i}", 4)).ToList();
        Assert.All(buckets, b => Assert.InRange(b, 0, 99));
        // Spread: 1000 callers over 100 buckets; a tenth of them below 10, give or take.
        Assert.InRange(buckets.Count(b => b < 10), 60, 140);
    }

    [Fact]
    public void Choose_ShareGrows_ACallerInTheCanaryStaysInIt()
    {
        var keys = Enumerable.Range(0, 500).Select(i => $"c{i}").ToList();
        var steps = new[] { 10, 50, 100 };
        int switchedBack = 0, switched = 0;
        foreach (string key in keys)
        {
            int bucket = TrafficSplit.Bucket(key, 4);
            var seen = steps.Select(p => new TrafficSplit(3, 4, p).Choose(null, bucket)).Prepend(3).ToList();
            switched += seen.Zip(seen.Skip(1)).Count(p => p.First != p.Second);
            switchedBack += seen.Zip(seen.Skip(1)).Count(p => p.First == 4 && p.Second == 3);
        }

        Assert.Equal(0, switchedBack);
        Assert.Equal(keys.Count, switched); // each caller switched once, at some step
    }
}
