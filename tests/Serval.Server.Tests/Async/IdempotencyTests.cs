using System.Net;
using System.Text.Json.Nodes;
using Serval.Server.Tests.Support;

namespace Serval.Server.Tests.Async;

/// <summary>An Idempotency-Key names one invocation per function: a repeat answers 202 with the same id and runs nothing.</summary>
public sealed class IdempotencyTests : IAsyncLifetime
{
    private readonly RunLog _runs = new();
    private readonly ServerFixture _server = new();

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        await _server.DeployHandlerAsync("noop", "NoOp", runs: _runs);
        await _server.DeployHandlerAsync("other", "NoOp", runs: _runs);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _runs.Dispose();
    }

    [Fact]
    public async Task SameKeyTwice_SameIdReplayedAndRunOnce()
    {
        var key = ("Idempotency-Key", "order-42");
        using HttpResponseMessage first = await AsyncCalls.PostAsync(_server.Client, "noop", "a", key);
        using HttpResponseMessage second = await AsyncCalls.PostAsync(_server.Client, "noop", "a", key);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        JsonNode a = await Json.ReadAsync(first), b = await Json.ReadAsync(second);
        string id = (string)a["id"]!;
        Assert.Equal(id, (string)b["id"]!);
        Assert.False((bool)a["replayed"]!);
        Assert.True((bool)b["replayed"]!);
        Assert.False(first.Headers.Contains("Idempotent-Replay"));
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replay").Single());
        Assert.Equal(first.Headers.Location, second.Headers.Location);

        JsonNode done = await AsyncCalls.WaitAsync(_server.Client, id, TimeSpan.FromSeconds(30));
        Assert.Equal("order-42", (string)done["idempotencyKey"]!);

        // After it ended: still the same invocation, with its status, and still one run.
        using HttpResponseMessage third = await AsyncCalls.PostAsync(_server.Client, "noop", "a", key);
        JsonNode c = await Json.ReadAsync(third);
        Assert.Equal(HttpStatusCode.Accepted, third.StatusCode);
        Assert.Equal(id, (string)c["id"]!);
        Assert.Equal("Succeeded", (string)c["status"]!);
        await Task.Delay(300);
        Assert.Equal(1, _runs.Of(id));
    }

    [Fact]
    public async Task SameKeyOtherRequest_422NamingKeyAndFirstInvocation()
    {
        string id = await AsyncCalls.SubmitAsync(_server.Client, "noop", "first", ("Idempotency-Key", "k-1"));

        using HttpResponseMessage other = await AsyncCalls.PostAsync(_server.Client, "noop", "second", ("Idempotency-Key", "k-1"));

        Assert.Equal((HttpStatusCode)422, other.StatusCode);
        string error = await Json.ErrorAsync(other);
        Assert.Contains("Idempotency-Key 'k-1'", error);
        Assert.Contains(id, error);
        Assert.Contains("different request", error);
    }

    [Fact]
    public async Task SameKeyOtherFunction_ItsOwnInvocation()
    {
        string a = await AsyncCalls.SubmitAsync(_server.Client, "noop", "x", ("Idempotency-Key", "shared"));
        string b = await AsyncCalls.SubmitAsync(_server.Client, "other", "x", ("Idempotency-Key", "shared"));

        Assert.NotEqual(a, b);
        Assert.Equal("other", (string)(await AsyncCalls.WaitAsync(_server.Client, b, TimeSpan.FromSeconds(30)))["function"]!);
    }

    [Theory]
    [InlineData("has space", "must be 1 to 255 visible ASCII characters")]
    [InlineData("tab\tinside", "must be 1 to 255 visible ASCII characters")]
    public async Task BadKey_400(string key, string message)
    {
        using HttpResponseMessage response = await AsyncCalls.PostAsync(_server.Client, "noop", "x", ("Idempotency-Key", key));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await Json.ErrorAsync(response));
    }

    [Fact]
    public async Task KeyOf256Characters_400()
    {
        using HttpResponseMessage response = await AsyncCalls.PostAsync(_server.Client, "noop", "x", ("Idempotency-Key", new string('k', 256)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("(256 characters)", await Json.ErrorAsync(response));
    }

    [Fact]
    public async Task KeyOnSynchronousCall_400SaysItIsForAsync()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/fn/noop") { Content = new StringContent("x") };
        request.Headers.Add("Idempotency-Key", "k");

        using HttpResponseMessage response = await _server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Idempotency-Key applies to asynchronous invocations: add 'X-Serval-Invocation-Type: async', or leave the key out", await Json.ErrorAsync(response));
    }
}
