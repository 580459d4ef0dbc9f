using Serval.Core.Specs;

namespace Serval.Core.Tests.Specs;

/// <summary>The <c>release</c> section: values, defaults, and one error per bad row with its line and hint.</summary>
public class SpecReleaseTests
{
    private const string Dotnet = "name: fn\nruntime: dotnet\nhandler: My.Handler\n";

    [Fact]
    public void Parse_NoRelease_NullSoADeploySwitchesAtOnce()
    {
        Assert.Null(SpecParser.Parse(Dotnet).SpecOrThrow().Release);
    }

    [Fact]
    public void Parse_EmptyRelease_TheDefaults()
    {
        ReleaseSpec release = SpecParser.Parse(Dotnet + "release: {}\n").SpecOrThrow().Release!;

        Assert.Equal([10, 50, 100], release.Steps);
        Assert.Equal(TimeSpan.FromMinutes(1), release.Interval);
        Assert.Equal(0.01, release.MaxErrorRate);
        Assert.Equal(1.5, release.MaxLatencyRatio);
        Assert.Equal(50, release.MinRequests);
        Assert.Empty(release.Bids);
        Assert.Equal("X-Serval-Bid", release.Sticky);
    }

    [Fact]
    public void Parse_FullRelease_ReadsEveryKey()
    {
        var spec = SpecParser.Parse(Dotnet + "release:\n  steps: [5, '25%', 100]\n  interval: 30s\n  maxErrorRate: 0.5%\n  maxLatencyRatio: 2\n  minRequests: 20\n  bids: [acme, beta]\n  sticky: X-User-Id\n").SpecOrThrow();
        ReleaseSpec release = spec.Release!;

        Assert.Equal([5, 25, 100], release.Steps);
        Assert.Equal(TimeSpan.FromSeconds(30), release.Interval);
        Assert.Equal(0.005, release.MaxErrorRate, 9);
        Assert.Equal(2, release.MaxLatencyRatio);
        Assert.Equal(20, release.MinRequests);
        Assert.Equal(["acme", "beta"], release.Bids);
        Assert.Equal("X-User-Id", release.Sticky);
        Assert.Equal(6, spec.Lines["release.interval"]);
    }

    [Fact]
    public void Parse_ErrorRateAsFraction_SameAsPercent()
    {
        Assert.Equal(0.02, SpecParser.Parse(Dotnet + "release: { maxErrorRate: 0.02 }").SpecOrThrow().Release!.MaxErrorRate, 9);
    }

    [Theory]
    [InlineData("release: { steps: [10, 50] }", "release.steps", "must end at 100", "add 100: steps: [10, 50, 100]")]
    [InlineData("release: { steps: [50, 10, 100] }", "release.steps[1]", "must be more than the step before it (50), got 10", "rising to 100")]
    [InlineData("release: { steps: [0, 100] }", "release.steps[0]", "must be a whole percentage from 1 to 100, got '0'", null)]
    [InlineData("release: { steps: 10 }", "release.steps", "must be a list of percentages, got '10'", null)]
    [InlineData("release: { interval: 500ms }", "release.interval", "must be at least 1s, got 500ms", null)]
    [InlineData("release: { interval: soon }", "release.interval", "must be a duration, got 'soon'", null)]
    [InlineData("release: { maxErrorRate: 5 }", "release.maxErrorRate", "must be a percentage or a fraction up to 1, got '5'", "write 5% for 5 percent")]
    [InlineData("release: { maxErrorRate: 120% }", "release.maxErrorRate", "must be at most 100%", null)]
    [InlineData("release: { maxLatencyRatio: 0.5 }", "release.maxLatencyRatio", "must be at least 1, got 0.5", null)]
    [InlineData("release: { minRequests: 0 }", "release.minRequests", "must be at least 1, got 0", null)]
    [InlineData("release: { bids: acme }", "release.bids", "must be a list of business ids, got 'acme'", null)]
    [InlineData("release: { bids: [acme, acme] }", "release.bids[1]", "'acme' is given twice", "remove one of them")]
    [InlineData("release: { sticky: 'X User' }", "release.sticky", "must be an HTTP header name", "e.g. sticky: X-User-Id")]
    [InlineData("release: { step: [10, 100] }", "release.step", "unknown key", "did you mean 'steps'?")]
    [InlineData("release: 10%", "release", "must be a mapping, got '10%'", null)]
    public void Parse_BadReleaseValue_OneErrorOnItsLine(string row, string field, string message, string? hint)
    {
        var result = SpecParser.Parse(Dotnet + row, "serval.yaml");

        Assert.Null(result.Spec);
        SpecError error = Assert.Single(result.Errors);
        Assert.Equal(field, error.Field);
        Assert.Equal(4, error.Line);
        Assert.Contains(message, error.Message);
        if (hint is not null)
        {
            Assert.Contains(hint, error.Hint);
        }

        Assert.StartsWith("serval.yaml:4:", error.ToString());
    }

    [Fact]
    public void Parse_ReleaseInAPlan_Refused()
    {
        var result = SpecParser.Parse("name: p\nplan:\n  steps:\n    - { name: a, function: fa }\nrelease: { steps: [10, 100] }\n");

        SpecError error = Assert.Single(result.Errors);
        Assert.Equal("release", error.Field);
        Assert.Contains("a plan has no 'release'", error.Message);
    }

    [Fact]
    public void Parse_MinRequestsAtTopLevel_PointsIntoRelease()
    {
        SpecError error = Assert.Single(SpecParser.Parse(Dotnet + "minRequests: 5\n").Errors);

        Assert.Equal("'minRequests' goes under 'release', as in release: { minRequests: ... }", error.Hint);
    }
}
