using System.Text.Json.Nodes;
using Serval.Server.Tests.Support;

namespace Serval.Server.Tests.Releases;

/// <summary>
/// Automatic rollbacks under load: a new version that fails its calls, and one slower than
/// <c>maxLatencyRatio</c> allows, are rolled back in their first step with the reason recorded,
/// and every caller ends on the old version.
/// </summary>
public sealed class ReleaseRollbackTests(ReleaseFixture fixture) : IClassFixture<ReleaseFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task FailingVersion_RolledBackAutomatically_WithTheErrorRate()
    {
        await fixture.DeployAsync("failing", "v1");
        await fixture.WarmAsync("failing");
        await using var load = new SteadyLoad(fixture.Server.Client, "failing", SteadyLoad.BidsFor(2, 2, 2, 4));
        await load.WaitAllSeeAsync(1, 0, Limit);

        await fixture.DeployAsync("failing", "v2", fail: true, release: "{ steps: [10, 50, 100], interval: 1s, minRequests: 10 }");
        JsonNode status = await fixture.WaitForStateAsync("failing", "rolledBack", Limit);
        long after = load.Mark();
        await load.WaitAllSeeAsync(1, after, Limit);
        await load.StopAsync();

        string reason = (string)status["release"]!["reason"]!;
        Assert.Contains("v2's error rate", reason);
        Assert.Contains("at step 1 of 3 (10 %): rolled back", reason);
        Assert.Equal(1, (int)status["serving"]!["stable"]!);
        var answers = load.Answers();
        // Only the canary's callers met v2's errors, and none after the rollback reached every caller.
        var failures = SteadyLoad.Failures(answers);
        Assert.NotEmpty(failures);
        Assert.All(failures, f => Assert.Equal(2, f.Version));
        Assert.All(answers, a => Assert.Equal((200, 1), (a[^1].Status, a[^1].Version)));
    }

    [Fact]
    public async Task SlowerVersion_RolledBackAutomatically_WithTheLatencyRatio_NoFailure()
    {
        await fixture.DeployAsync("slower", "v1", sleepMs: 10);
        await fixture.WarmAsync("slower");
        await using var load = new SteadyLoad(fixture.Server.Client, "slower", SteadyLoad.BidsFor(2, 2, 2, 4));
        await load.WaitAllSeeAsync(1, 0, Limit);

        await fixture.DeployAsync("slower", "v2", sleepMs: 250, release: "{ steps: [10, 50, 100], interval: 1s, minRequests: 10, maxLatencyRatio: 1.5 }");
        JsonNode status = await fixture.WaitForStateAsync("slower", "rolledBack", Limit);
        long after = load.Mark();
        await load.WaitAllSeeAsync(1, after, Limit);
        await load.StopAsync();

        string reason = (string)status["release"]!["reason"]!;
        Assert.Contains("v2's p99", reason);
        Assert.Contains("more than 1.5×, at step 1 of 3 (10 %): rolled back", reason);
        var answers = load.Answers();
        Assert.True(SteadyLoad.Failures(answers).Count == 0, $"failed requests: {load.Summary()}");
        Assert.All(answers, a => Assert.Equal(1, a[^1].Version));
    }
}
