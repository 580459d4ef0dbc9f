using System.Net;
using System.Text.Json.Nodes;
using Serval.Server.Tests.Support;

namespace Serval.Server.Tests.Async;

/// <summary><c>GET /v1/invocations?function=&amp;status=&amp;limit=&amp;after=</c>: newest first, filtered, paged.</summary>
public sealed class ListingTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new();
    private readonly List<string> _noop = [];
    private readonly List<string> _broken = [];

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        await _server.DeployHandlerAsync("noop", "NoOp");
        await _server.DeployHandlerAsync("broken", "AlwaysFail", "async: { retries: 0 }\n");
        for (int i = 0; i < 3; i++)
        {
            _noop.Add(await AsyncCalls.SubmitAsync(_server.Client, "noop", $"{i}"));
        }

        for (int i = 0; i < 2; i++)
        {
            _broken.Add(await AsyncCalls.SubmitAsync(_server.Client, "broken", $"{i}"));
        }

        foreach (string id in _noop.Concat(_broken))
        {
            await AsyncCalls.WaitAsync(_server.Client, id, TimeSpan.FromSeconds(30));
        }
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    private async Task<JsonNode> ListAsync(string query)
    {
        using HttpResponseMessage response = await _server.Client.GetAsync("/v1/invocations" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json.ReadAsync(response);
    }

    private static List<string> Ids(JsonNode page) => page["invocations"]!.AsArray().Select(i => (string)i!["id"]!).ToList();

    [Fact]
    public async Task ByFunction_OnlyItsOwnNewestFirst()
    {
        JsonNode page = await ListAsync("?function=noop");

        Assert.Equal(Enumerable.Reverse(_noop), Ids(page));
        Assert.All(page["invocations"]!.AsArray(), i =>
        {
            Assert.Equal("noop", (string)i!["function"]!);
            Assert.Equal("Succeeded", (string)i["status"]!);
            Assert.Equal(1, (int)i["attemptCount"]!);
        });
        Assert.Null(page["next"]);
    }

    [Fact]
    public async Task ByStatus_OnlyFailed()
    {
        JsonNode page = await ListAsync("?status=failed");

        Assert.Equal(Enumerable.Reverse(_broken), Ids(page));
    }

    [Fact]
    public async Task Paged_TwoPagesCoverAllWithoutOverlap()
    {
        JsonNode first = await ListAsync("?function=noop&limit=2");
        string next = (string)first["next"]!;
        JsonNode second = await ListAsync($"?function=noop&limit=2&after={next}");

        Assert.Equal(2, Ids(first).Count);
        Assert.Equal(next, Ids(first)[^1]);
        Assert.Equal(Enumerable.Reverse(_noop), Ids(first).Concat(Ids(second)));
        Assert.Null(second["next"]);
    }

    [Theory]
    [InlineData("?status=Done", "status must be one of Queued, Running, Succeeded, Failed, Expired, Cancelled, got 'Done'")]
    [InlineData("?status=2", "status must be one of")]
    [InlineData("?limit=0", "limit must be a whole number from 1 to 1000, got '0'")]
    [InlineData("?limit=ten", "limit must be a whole number from 1 to 1000, got 'ten'")]
    [InlineData("?after=feedface", "after: no invocation 'feedface'")]
    public async Task BadQuery_400NamingIt(string query, string message)
    {
        using HttpResponseMessage response = await _server.Client.GetAsync("/v1/invocations" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await Json.ErrorAsync(response));
    }
}
