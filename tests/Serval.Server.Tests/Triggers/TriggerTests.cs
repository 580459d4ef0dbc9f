using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Serval.Node.Capacity;
using Serval.Server.Tests.Support;
using Serval.Server.Triggers;
using Serval.TestSupport;

namespace Serval.Server.Tests.Triggers;

/// <summary>
/// Triggers on a real platform whose wall clock the test moves: an every-minute trigger fires once a
/// minute, not for the time before it was deployed; the platform stopped for five minutes and started
/// again on its data folder fires exactly one catch-up; the next fire is shown by the control plane.
/// </summary>
public sealed class TriggerTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Noon = new(2026, 6, 10, 12, 0, 0, TimeSpan.Zero);

    private readonly ShiftedTimeProvider _clock = new();
    private readonly string _data = Paths.NewTempDir("serval-triggers");
    private WebApplication? _app;
    private HttpClient _client = null!;

    [Fact]
    public async Task EveryMinute_FiresOnceAMinute_AndOnceForFiveMinutesOfDowntime()
    {
        _clock.SetNow(Noon.AddSeconds(1));
        await StartAsync();
        await DeployAsync("ticker", "Echo", "triggers:\n  - { cron: \"* * * * *\", payload: { report: minutely, n: 1 } }\n");
        _clock.SetNow(Noon.AddSeconds(30));

        // Deployed after 12:00:00: that time is the past, and does not fire.
        JsonNode trigger = Assert.Single((await GetAsync("/v1/functions/ticker/triggers")).AsArray())!;
        Assert.Equal("* * * * *", (string)trigger["cron"]!);
        Assert.Equal("UTC", (string)trigger["timezone"]!);
        Assert.Equal("minutely", (string)trigger["payload"]!["report"]!);
        Assert.Null(trigger["lastFire"]);
        Assert.Equal(Noon.AddMinutes(1), Time(trigger["nextFire"]));
        await Task.Delay(TriggerScheduler.Tick * 2);
        Assert.Empty(await TriggerRunsAsync());

        _clock.SetNow(Noon.AddMinutes(1).AddSeconds(5));
        JsonNode first = await WaitForRunsAsync(1);
        Assert.Equal($"trigger-0-{Noon.AddMinutes(1).ToUnixTimeSeconds()}", (string)first["idempotencyKey"]!);
        Assert.Equal("minutely", (string)first["result"]!["report"]!);
        trigger = (await GetAsync("/v1/functions/ticker"))["triggers"]![0]!;
        Assert.Equal(Noon.AddMinutes(1), Time(trigger["lastFire"]));
        Assert.Equal((string)first["id"]!, (string)trigger["lastInvocation"]!);
        Assert.Equal(Noon.AddMinutes(2), Time(trigger["nextFire"]));
        JsonNode listed = (await GetAsync("/v1/functions")).AsArray().Single(f => (string)f!["name"]! == "ticker")!;
        Assert.Equal(Noon.AddMinutes(2), Time(listed["nextTrigger"]));

        // Down from 12:01:10 to 12:06:30: 12:02 to 12:06 pass while it is stopped.
        _clock.SetNow(Noon.AddMinutes(1).AddSeconds(10));
        await StopAsync();
        _clock.SetNow(Noon.AddMinutes(6).AddSeconds(30));
        await StartAsync();

        JsonNode catchUp = await WaitForRunsAsync(2);
        Assert.Equal($"trigger-0-{Noon.AddMinutes(6).ToUnixTimeSeconds()}", (string)catchUp["idempotencyKey"]!);
        await Task.Delay(TriggerScheduler.Tick * 3);
        Assert.Equal(2, (await TriggerRunsAsync()).Count);
        trigger = (await GetAsync("/v1/functions/ticker/triggers"))[0]!;
        Assert.Equal(Noon.AddMinutes(6), Time(trigger["lastFire"]));
        Assert.Equal(Noon.AddMinutes(7), Time(trigger["nextFire"]));

        // And on it goes, once a minute.
        _clock.SetNow(Noon.AddMinutes(7).AddSeconds(1));
        JsonNode next = await WaitForRunsAsync(3);
        Assert.Equal($"trigger-0-{Noon.AddMinutes(7).ToUnixTimeSeconds()}", (string)next["idempotencyKey"]!);
    }

    [Fact]
    public async Task MalformedCron_IsRefusedAtDeploy_PointingAtTheWrongField()
    {
        await StartAsync();

        using HttpResponseMessage response = await DeployRawAsync(TestHandlers.Spec("bad-cron", "Echo", "triggers:\n  - { cron: \"0 25 * * *\", payload: {} }\n"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        string error = await Json.ErrorAsync(response);
        Assert.Contains("serval.yaml:5:16: triggers[0].cron: cron '0 25 * * *': hour 25 is out of range 0-23", error);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StartAsync()
    {
        var options = new ServalOptions { Port = 0, DataDirectory = _data, NodeCapacity = new NodeCapacity(ServerFixture.Cores, 64 << 10), Time = _clock };
        _app = ServalHost.Build(options, logging => logging.SetMinimumLevel(LogLevel.Warning));
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = ServalHost.Address(_app), Timeout = TimeSpan.FromSeconds(60) };
    }

    private async Task StopAsync()
    {
        if (_app is { } app)
        {
            _client.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
            _app = null;
        }
    }

    private async Task DeployAsync(string name, string handler, string extra)
    {
        using HttpResponseMessage response = await DeployRawAsync(TestHandlers.Spec(name, handler, extra));
        Assert.True(response.IsSuccessStatusCode, $"deploy of {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private Task<HttpResponseMessage> DeployRawAsync(string spec) =>
        ServerFixture.DeployBytesAsync(_client, spec, TestHandlers.Files());

    private async Task<JsonNode> GetAsync(string path)
    {
        using HttpResponseMessage response = await _client.GetAsync(path);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>The ticker's invocations submitted by its trigger, oldest first.</summary>
    private async Task<List<JsonNode>> TriggerRunsAsync() =>
        (await GetAsync("/v1/invocations?function=ticker"))["invocations"]!.AsArray()
            .Where(i => (string)i!["source"]! == "trigger").Select(i => i!).Reverse().ToList();

    /// <summary>Waits (at most 20 s) for the <paramref name="count"/>-th trigger run to succeed, and returns it in full.</summary>
    private async Task<JsonNode> WaitForRunsAsync(int count)
    {
        for (int i = 0; i < 400; i++)
        {
            List<JsonNode> runs = await TriggerRunsAsync();
            Assert.True(runs.Count <= count, $"{runs.Count} trigger runs, expected {count}: {string.Join(", ", runs.Select(r => r.ToJsonString()))}");
            if (runs.Count == count && (string)runs[^1]["status"]! == "Succeeded")
            {
                return await GetAsync($"/v1/invocations/{(string)runs[^1]["id"]!}");
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"the trigger did not run {count} times within 20 s");
    }

    private static DateTimeOffset Time(JsonNode? node) => DateTimeOffset.Parse((string)node!, CultureInfo.InvariantCulture);
}
