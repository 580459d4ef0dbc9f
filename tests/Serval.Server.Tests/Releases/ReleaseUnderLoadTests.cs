using System.Net;
using System.Text.Json.Nodes;
using Serval.Server.Tests.Support;
using Serval.TestSupport;

namespace Serval.Server.Tests.Releases;

/// <summary>
/// Switches under steady load (8 clients, real instance processes): a deploy that switches at once,
/// a rollback of it, a full progressive release and a rollback mid-release each end with no failed
/// request, every caller's answers switching version once at most, and no answer of the version
/// that gained traffic waiting for a cold start (its instances were readied first).
/// </summary>
public sealed class ReleaseUnderLoadTests(ReleaseFixture fixture) : IClassFixture<ReleaseFixture>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task HotUpdate_ThenRollback_UnderLoad_NoFailureOneSwitchEachNoColdStart()
    {
        await fixture.DeployAsync("hot", "v1");
        await fixture.WarmAsync("hot");
        await using var load = new SteadyLoad(fixture.Server.Client, "hot", SteadyLoad.BidsFor(2, 2, 2, 4));
        await load.WaitAllSeeAsync(1, 0, Limit);

        long deployed = load.Mark();
        JsonNode answer = await fixture.DeployAsync("hot", "v2");
        Assert.Equal(2, (int)answer["serving"]!["stable"]!);
        Assert.Equal("update", (string?)answer["release"]!["kind"]);
        Assert.Equal("promoted", (string?)answer["release"]!["state"]);
        Assert.Contains("instances of v2 ready first", (string?)answer["release"]!["reason"]);
        await load.WaitAllSeeAsync(2, deployed, Limit);
        // The old version drains once its grace is over: no v1 instance is left.
        await fixture.Server.WaitForInstancesAsync("hot", i => i.All(x => (int)x!["version"]! != 1), Limit, "v1's instances drained");

        long rolledBack = load.Mark();
        using HttpResponseMessage rollback = await fixture.CommandAsync("hot", new { action = "rollback" });
        JsonNode status = await Json.ReadAsync(rollback);
        Assert.Equal(HttpStatusCode.OK, rollback.StatusCode);
        Assert.Equal(1, (int)status["serving"]!["stable"]!);
        Assert.Equal("rollback", (string?)status["release"]!["kind"]);
        Assert.Contains("rolled back by hand from v2 to v1", (string?)status["release"]!["reason"]);
        await load.WaitAllSeeAsync(1, rolledBack, Limit);
        await load.StopAsync();

        var answers = load.Answers();
        Assert.True(SteadyLoad.Failures(answers).Count == 0, $"failed requests: {load.Summary()}");
        Assert.All(Between(answers, deployed, rolledBack), a => Assert.InRange(Switches(a), 0, 1));
        Assert.All(SteadyLoad.Switches(answers, rolledBack), s => Assert.InRange(s, 0, 1));
        Assert.DoesNotContain(answers.SelectMany(a => a), x => x.Sequence >= deployed && x.Cold);
    }

    [Fact]
    public async Task ProgressiveRelease_UnderLoad_AdvancesAndPromotes_NoFailureOneSwitchEach()
    {
        await fixture.DeployAsync("canary", "v1");
        await fixture.WarmAsync("canary");
        var bids = SteadyLoad.BidsFor(2, 2, 2, 4);
        await using var load = new SteadyLoad(fixture.Server.Client, "canary", bids);
        await load.WaitAllSeeAsync(1, 0, Limit);

        long started = load.Mark();
        JsonNode answer = await fixture.DeployAsync("canary", "v2", release: "{ steps: [10, 50, 100], interval: 1s, minRequests: 20, maxLatencyRatio: 3 }");
        Assert.Equal("running", (string?)answer["release"]!["state"]);
        Assert.Equal(90, (int)answer["serving"]!["weights"]!["1"]!);
        Assert.Equal(10, (int)answer["serving"]!["weights"]!["2"]!);

        JsonNode done = await fixture.WaitForStateAsync("canary", "promoted", Limit);
        await load.WaitAllSeeAsync(2, started, Limit);
        await load.StopAsync();

        var actions = done["release"]!["history"]!.AsArray().Select(e => (string?)e!["action"]).ToList();
        Assert.Equal(["start", "advance", "promote"], actions.Where(a => a != "hold"));
        Assert.Contains("→ 50 %", (string?)done["release"]!["history"]![actions.IndexOf("advance")]!["reason"]);
        Assert.Equal(2, (int)done["serving"]!["stable"]!);
        var answers = load.Answers();
        Assert.True(SteadyLoad.Failures(answers).Count == 0, $"failed requests: {load.Summary()}");
        Assert.All(SteadyLoad.Switches(answers, started), s => Assert.InRange(s, 0, 1));
        // The first 10 % of callers reached v2 before the last half did: the traffic moved in steps.
        long First(int client) => answers[client].First(x => x.Version == 2).Sequence;
        Assert.True(Math.Max(First(0), First(1)) < Math.Min(First(4), First(7)), load.Summary());
    }

    [Fact]
    public async Task RollbackByHand_MidRelease_UnderLoad_BackToTheOldVersionNoFailure()
    {
        await fixture.DeployAsync("midway", "v1");
        await fixture.WarmAsync("midway");
        await using var load = new SteadyLoad(fixture.Server.Client, "midway", SteadyLoad.BidsFor(2, 2, 2, 4));
        await load.WaitAllSeeAsync(1, 0, Limit);

        JsonNode answer = await fixture.DeployAsync("midway", "v2", release: "{ steps: [10, 50, 100], interval: 1h }");
        Assert.Equal("running", (string?)answer["release"]!["state"]);
        await Eventually.TrueAsync(() => load.Answers()[0].Any(x => x.Version == 2) && load.Answers()[1].Any(x => x.Version == 2), "the canary's callers reach v2", Limit);

        long rolledBack = load.Mark();
        using HttpResponseMessage rollback = await fixture.CommandAsync("midway", new { action = "rollback" });
        JsonNode status = await Json.ReadAsync(rollback);
        Assert.Equal(HttpStatusCode.OK, rollback.StatusCode);
        Assert.Equal("rolledBack", (string?)status["release"]!["state"]);
        Assert.Equal("rolled back by hand at step 1 of 3 (10 %)", (string?)status["release"]!["reason"]);
        Assert.Equal(1, (int)status["serving"]!["stable"]!);
        Assert.Null(status["serving"]!["canary"]);
        await load.WaitAllSeeAsync(1, rolledBack, Limit);
        await load.StopAsync();

        var answers = load.Answers();
        Assert.True(SteadyLoad.Failures(answers).Count == 0, $"failed requests: {load.Summary()}");
        Assert.All(SteadyLoad.Switches(answers, rolledBack), s => Assert.InRange(s, 0, 1));
        Assert.All(answers, a => Assert.Equal(1, a[^1].Version));
    }

    private static int Switches(IReadOnlyList<LoadAnswer> answers)
    {
        var versions = answers.Select(x => x.Version).ToList();
        return versions.Zip(versions.Skip(1)).Count(p => p.First != p.Second);
    }

    private static IEnumerable<IReadOnlyList<LoadAnswer>> Between(IReadOnlyList<LoadAnswer>[] answers, long from, long to) =>
        answers.Select(a => (IReadOnlyList<LoadAnswer>)a.Where(x => x.Sequence >= from && x.Sequence < to).ToList());
}
