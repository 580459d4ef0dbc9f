using System.Net;
using System.Text.Json.Nodes;
using Serval.Server.Tests.Support;

namespace Serval.Server.Tests.Async;

/// <summary>Cancel: a queued invocation at once, a running one stopped mid-run; both end Cancelled.</summary>
public sealed class CancelTests : IAsyncLifetime
{
    private readonly RunLog _runs = new();
    private readonly ServerFixture _server = new();

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        // One slot: a long run holds it and the next invocation waits in the queue.
        await _server.DeployHandlerAsync("gate", "Slow", "instances: { max: 1, concurrency: 1 }\n", _runs);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _runs.Dispose();
    }

    [Fact]
    public async Task CancelQueuedThenRunning_BothCancelledQueuedOneNeverRan()
    {
        string running = await AsyncCalls.SubmitAsync(_server.Client, "gate", "60000");
        await AsyncCalls.WaitAsync(_server.Client, running, TimeSpan.FromSeconds(30), "Running");
        string queued = await AsyncCalls.SubmitAsync(_server.Client, "gate", "10");
        Assert.Equal("Queued", (string)(await AsyncCalls.GetAsync(_server.Client, queued))["status"]!);

        using HttpResponseMessage cancelQueued = await _server.Client.PostAsync($"/v1/invocations/{queued}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelQueued.StatusCode);
        JsonNode q = await Json.ReadAsync(cancelQueued);
        Assert.Equal("Cancelled", (string)q["status"]!);
        Assert.Equal("cancelled by request while queued", (string)q["reason"]!);
        Assert.Empty(q["attempts"]!.AsArray());

        // Wait until the handler really runs, then cancel it mid-run.
        for (int i = 0; i < 200 && _runs.Of(running) == 0; i++)
        {
            await Task.Delay(25);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using HttpResponseMessage cancelRunning = await _server.Client.PostAsync($"/v1/invocations/{running}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelRunning.StatusCode);
        JsonNode r = await Json.ReadAsync(cancelRunning);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"cancel took {clock.Elapsed}");
        Assert.Equal("Cancelled", (string)r["status"]!);
        Assert.Equal("cancelled by request while running", (string)r["reason"]!);
        JsonNode attempt = Assert.Single(r["attempts"]!.AsArray())!;
        Assert.Equal("cancelled by request", (string)attempt["error"]!);
        Assert.NotNull(attempt["endedAt"]);

        // The slot is free again: the next invocation runs. Once it has, the cancelled queued one,
        // submitted before it, has had its chance to run and did not (no sleep: a state reached).
        string next = await AsyncCalls.SubmitAsync(_server.Client, "gate", "10");
        Assert.Equal("Succeeded", (string)(await AsyncCalls.WaitAsync(_server.Client, next, TimeSpan.FromSeconds(30)))["status"]!);
        Assert.Equal(0, _runs.Of(queued));
        Assert.Equal(1, _runs.Of(running));
        Assert.Equal("Cancelled", (string)(await AsyncCalls.GetAsync(_server.Client, queued))["status"]!);
    }

    [Fact]
    public async Task CancelEnded_409NamingItsStatus()
    {
        string id = await AsyncCalls.SubmitAsync(_server.Client, "gate", "1");
        await AsyncCalls.WaitAsync(_server.Client, id, TimeSpan.FromSeconds(30));

        using HttpResponseMessage response = await _server.Client.PostAsync($"/v1/invocations/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal($"invocation {id} already ended Succeeded: only Queued or Running invocations can be cancelled", await Json.ErrorAsync(response));
    }

    [Fact]
    public async Task UnknownInvocation_404()
    {
        using HttpResponseMessage cancel = await _server.Client.PostAsync("/v1/invocations/0123456789abcdef/cancel", null);
        using HttpResponseMessage get = await _server.Client.GetAsync("/v1/invocations/0123456789abcdef");
        using HttpResponseMessage result = await _server.Client.GetAsync("/v1/invocations/0123456789abcdef/result");

        Assert.All([cancel, get, result], r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        Assert.StartsWith("no invocation '0123456789abcdef' (ended invocations are kept 168 h)", await Json.ErrorAsync(get));
    }
}
