using System.Net;
using System.Text.Json.Nodes;
using Serval.Server.Tests.Support;

namespace Serval.Server.Tests.Releases;

/// <summary>The release API without load: refusals that name what was wrong and change nothing, a canary limited to businesses, a sticky header.</summary>
public sealed class ReleaseApiTests(ReleaseFixture fixture) : IClassFixture<ReleaseFixture>
{
    [Theory]
    [InlineData("{\"action\": \"jump\"}", "action: 'jump' is not a release command")]
    [InlineData("{}", "action: required")]
    [InlineData("{\"action\": \"rollback\", \"to\": \"two\"}", "to: a version number")]
    [InlineData("{\"action\": \"promote\", \"to\": 1}", "to: only a rollback goes to a version")]
    [InlineData("{\"action\": \"rollback\", \"version\": 1}", "unknown field 'version'")]
    [InlineData("[1]", "a release command is a JSON object")]
    [InlineData("not json", "a release command is a JSON object")]
    [InlineData("{\"action\": \"promote\"}", "no release of api is running: v1 serves everyone")]
    [InlineData("{\"action\": \"rollback\"}", "api has no earlier serving version to roll back to")]
    [InlineData("{\"action\": \"rollback\", \"to\": 1}", "v1 already serves api")]
    public async Task Command_BadInput_400NamesIt_AndNothingChanges(string body, string fragment)
    {
        await EnsureApiAsync();
        using HttpResponseMessage response = await fixture.Server.Client.PostAsync("/v1/functions/api/release", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(fragment, await Json.ErrorAsync(response));
        JsonNode status = await fixture.ReleaseAsync("api");
        Assert.Equal(1, (int)status["serving"]!["stable"]!);
        Assert.Null(status["release"]);
    }

    [Fact]
    public async Task Command_UnknownFunctionOrVersion_404()
    {
        await EnsureApiAsync();
        using HttpResponseMessage noFunction = await fixture.CommandAsync("nobody", new { action = "promote" });
        using HttpResponseMessage noVersion = await fixture.CommandAsync("api", new { action = "rollback", to = 9 });
        using HttpResponseMessage get = await fixture.Server.Client.GetAsync("/v1/functions/nobody/release");

        Assert.Equal(HttpStatusCode.NotFound, noFunction.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noVersion.StatusCode);
        Assert.Contains("api has no version 9", await Json.ErrorAsync(noVersion));
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }

    [Fact]
    public async Task Canary_LimitedToBids_OtherBusinessesStayOnTheOldVersion_StickyHeaderKeepsACaller()
    {
        await fixture.DeployAsync("bids", "v1", sleepMs: 0);
        // 99 % of acme's callers; a user key whose bucket for v2 is below 99 is in it.
        string user = Enumerable.Range(0, 100).Select(i => $"user-{i}").First(u => Serval.Core.Releases.TrafficSplit.Bucket(u, 2) < 99);
        JsonNode answer = await fixture.DeployAsync("bids", "v2", sleepMs: 0, release: "{ steps: [99, 100], interval: 1h, bids: [acme], sticky: X-User-Id }");
        Assert.Equal(["acme"], answer["serving"]!["bids"]!.AsArray().Select(b => (string?)b));
        Assert.Equal("X-User-Id", (string?)answer["serving"]!["sticky"]);

        var acme = new List<int>();
        var other = new List<int>();
        for (int i = 0; i < 10; i++)
        {
            acme.Add(await VersionAsync("bids", "acme", user));
            other.Add(await VersionAsync("bids", "globex", user));
        }

        Assert.All(acme, v => Assert.Equal(2, v));
        Assert.All(other, v => Assert.Equal(1, v));
        // Naming a version bypasses the split.
        using HttpResponseMessage named = await fixture.Server.Client.PostAsync("/fn/bids?version=1", new StringContent("x") { Headers = { { "X-Serval-Bid", "acme" } } });
        Assert.Equal("1", named.Headers.GetValues("X-Serval-Version").Single());
    }

    [Fact]
    public async Task RunningRelease_KeptInTheStore_ASecondPlatformServesTheSameSplit()
    {
        await fixture.DeployAsync("kept", "v1", sleepMs: 0);
        await fixture.DeployAsync("kept", "v2", sleepMs: 0, release: "{ steps: [25, 100], interval: 1h }");

        await using var again = new ServerFixtureOn(fixture.Server.DataDirectory);
        await again.StartAsync();
        JsonNode status = await Json.ReadAsync(await again.Client.GetAsync("/v1/functions/kept/release"));

        Assert.Equal("running", (string?)status["release"]!["state"]);
        Assert.Equal(25, (int)status["release"]!["percent"]!);
        Assert.Equal(75, (int)status["serving"]!["weights"]!["1"]!);
        Assert.Equal(25, (int)status["serving"]!["weights"]!["2"]!);
        Assert.Equal("start", (string?)status["release"]!["history"]![0]!["action"]);
        JsonNode function = await Json.ReadAsync(await again.Client.GetAsync("/v1/functions/kept"));
        Assert.Equal((2, 1), ((int)function["aliases"]!["latest"]!, (int)function["aliases"]!["prod"]!));
    }

    private async Task<int> VersionAsync(string name, string bid, string user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/fn/{name}") { Content = new StringContent("x") };
        request.Headers.Add("X-Serval-Bid", bid);
        request.Headers.Add("X-User-Id", user);
        using HttpResponseMessage response = await fixture.Server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return int.Parse(response.Headers.GetValues("X-Serval-Version").Single());
    }

    private async Task EnsureApiAsync()
    {
        if ((await fixture.Server.Client.GetAsync("/v1/functions/api")).StatusCode == HttpStatusCode.NotFound)
        {
            await fixture.DeployAsync("api", "v1", sleepMs: 0);
        }
    }
}
