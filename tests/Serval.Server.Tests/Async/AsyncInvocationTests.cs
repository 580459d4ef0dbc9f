using System.Net;
using System.Text.Json.Nodes;
using Serval.Server.Tests.Support;

namespace Serval.Server.Tests.Async;

/// <summary>The accept path and the status API on a real platform with a real dotnet function.</summary>
public sealed class AsyncInvocationTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new();

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        await _server.DeployHandlerAsync("noop", "NoOp");
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Submit_Async_202ThenSucceededWithResultAndOneAttempt()
    {
        using HttpResponseMessage accepted = await AsyncCalls.PostAsync(_server.Client, "noop", "hello");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        JsonNode body = JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!;
        string id = (string)body["id"]!;
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal("noop", (string)body["function"]!);
        Assert.Equal($"/v1/invocations/{id}", accepted.Headers.Location!.ToString());
        Assert.Equal(id, accepted.Headers.GetValues("X-Request-Id").Single());

        JsonNode done = await AsyncCalls.WaitAsync(_server.Client, id, TimeSpan.FromSeconds(30));

        Assert.Equal("Succeeded", (string)done["status"]!);
        Assert.Equal("noop", (string)done["function"]!);
        Assert.Equal(1, (int)done["version"]!);
        Assert.Equal(id, (string)done["result"]!["id"]!);
        Assert.Equal(1, (int)done["result"]!["attempt"]!);
        Assert.Equal(200, (int)done["resultStatus"]!);
        JsonNode attempt = Assert.Single(done["attempts"]!.AsArray())!;
        Assert.Equal(1, (int)attempt["n"]!);
        Assert.Null(attempt["error"]);
        Assert.True(DateTimeOffset.Parse((string)attempt["endedAt"]!) >= DateTimeOffset.Parse((string)attempt["startedAt"]!));
        Assert.True(DateTimeOffset.Parse((string)done["endedAt"]!) >= DateTimeOffset.Parse((string)done["createdAt"]!));

        using HttpResponseMessage result = await _server.Client.GetAsync($"/v1/invocations/{id}/result");
        Assert.Equal(HttpStatusCode.OK, result.StatusCode);
        Assert.Equal("application/json", result.Content.Headers.ContentType!.MediaType);
        Assert.Equal("200", result.Headers.GetValues("X-Serval-Result-Status").Single());
        Assert.Equal(id, (string)JsonNode.Parse(await result.Content.ReadAsStringAsync())!["id"]!);
    }
}
