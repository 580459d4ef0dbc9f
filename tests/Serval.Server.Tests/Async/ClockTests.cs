using System.Net;
using System.Text.Json.Nodes;
using Serval.Server.Async;
using Serval.Server.Tests.Support;
using Serval.TestSupport;

namespace Serval.Server.Tests.Async;

/// <summary>Time-driven ends on a clock the test moves: expiry by async.maxAge, and the retention sweep.</summary>
public sealed class ClockTests : IAsyncLifetime
{
    private readonly ShiftedTimeProvider _clock = new();
    private readonly ServerFixture _server;

    public ClockTests() =>
        // Leases last a day here: moving the clock hours ahead must not make runs look abandoned.
        _server = new ServerFixture(configure: o => o with { Time = _clock, Async = o.Async with { Retention = TimeSpan.FromHours(1), Lease = TimeSpan.FromDays(1) } });

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        await _server.DeployHandlerAsync("gate", "Slow", "instances: { max: 1, concurrency: 1 }\nasync: { maxAge: 1h }\n");
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task QueuedPastMaxAge_ExpiredWithoutRunning_ThenSweptAfterRetention()
    {
        string running = await AsyncCalls.SubmitAsync(_server.Client, "gate", "1500");
        await AsyncCalls.WaitAsync(_server.Client, running, TimeSpan.FromSeconds(30), "Running");
        string waiting = await AsyncCalls.SubmitAsync(_server.Client, "gate", "10");

        _clock.Offset += TimeSpan.FromHours(2);

        JsonNode expired = await AsyncCalls.WaitAsync(_server.Client, waiting, TimeSpan.FromSeconds(30));
        Assert.Equal("Expired", (string)expired["status"]!);
        Assert.Equal("expired: no run succeeded within async.maxAge (1h) of its acceptance", (string)expired["reason"]!);
        Assert.Equal("EventAgeExceeded", (string)expired["condition"]!);
        Assert.Empty(expired["attempts"]!.AsArray());
        Assert.Equal("Succeeded", (string)(await AsyncCalls.WaitAsync(_server.Client, running, TimeSpan.FromSeconds(30)))["status"]!);

        // One still running is kept whatever its age; the ended ones go once past the retention.
        string current = await AsyncCalls.SubmitAsync(_server.Client, "gate", "3000");
        await AsyncCalls.WaitAsync(_server.Client, current, TimeSpan.FromSeconds(30), "Running");
        var sweeper = (InvocationSweeper)_server.Services.GetService(typeof(InvocationSweeper))!;
        Assert.Equal(0, await sweeper.TickAsync());

        _clock.Offset += TimeSpan.FromHours(2);
        Assert.Equal(2, await sweeper.TickAsync());

        foreach (string id in new[] { running, waiting })
        {
            using HttpResponseMessage gone = await _server.Client.GetAsync($"/v1/invocations/{id}");
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
            Assert.Contains("ended invocations are kept 1 h", await Json.ErrorAsync(gone));
        }

        Assert.Equal("Running", (string)(await AsyncCalls.GetAsync(_server.Client, current))["status"]!);
    }
}
