using System.Net;
using System.Text.Json.Nodes;
using Serval.Server.Gateway;
using Serval.Server.Monitoring.Logs;
using Serval.Server.Tests.Support;
using Serval.TestSupport;

namespace Serval.Server.Tests.Monitoring;

/// <summary>The function log: a record per invocation and the handler's lines, read, followed and swept.</summary>
public sealed class FunctionLogsTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new();

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        await _server.DeployHandlerAsync("logged", "WhoAmI");
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    private async Task CallAsync(string requestId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/fn/logged") { Content = new StringContent("") };
        request.Headers.Add("X-Request-Id", requestId);
        using HttpResponseMessage answer = await _server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    private async Task<List<JsonNode>> LogAsync(string query = "")
    {
        string text = await _server.Client.GetStringAsync($"/v1/functions/logged/logs{query}");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!)];
    }

    [Fact]
    public async Task Calls_EachHasARecord_AndTheHandlersLinesAreThere()
    {
        await CallAsync("log-1");
        await CallAsync("log-2");

        List<JsonNode> log = [];
        await Eventually.TrueAsync(async () =>
        {
            log = await LogAsync();
            return log.Count(r => (string)r["kind"]! == "invocation") == 2 && log.Count(r => (string)r["kind"]! == "log") >= 2;
        }, "two invocation records and the handler's two lines", TimeSpan.FromSeconds(20));

        var invocations = log.Where(r => (string)r["kind"]! == "invocation").ToList();
        Assert.Equal(["log-1", "log-2"], invocations.Select(r => (string)r["id"]!));
        Assert.All(invocations, r =>
        {
            Assert.Equal("logged", (string)r["function"]!);
            Assert.Equal(1, (int)r["version"]!);
            Assert.Equal(200, (int)r["status"]!);
            Assert.StartsWith("logged-v1-", (string)r["instance"]!);
            Assert.Equal(Environment.MachineName, (string)r["node"]!);
            Assert.Equal(Math.Ceiling((double)r["durationMs"]!), (double)r["billedMs"]!);
            Assert.True((double)r["memoryMb"]! > 0);
            Assert.True(DateTimeOffset.Parse((string)r["start"]!) <= DateTimeOffset.Parse((string)r["time"]!));
            Assert.Null(r["error"]);
        });
        Assert.True((bool)invocations[0]["cold"]!);
        Assert.False((bool)invocations[1]["cold"]!);
        Assert.Contains(log, r => (string)r["kind"]! == "log" && ((string)r["line"]!).Contains("whoami for log-1", StringComparison.Ordinal) && (string)r["instance"]! == (string)invocations[0]["instance"]!);
        var seqs = log.Select(r => (long)r["seq"]!).ToList();
        Assert.Equal(seqs.Order(), seqs);

        // An age in the future of every record leaves nothing; limit cuts the answer.
        Assert.Empty(await LogAsync($"?since={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}"));
        Assert.Single(await LogAsync("?limit=1"));
    }

    [Fact]
    public async Task Follow_SendsARecordWrittenAfterItStarted()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/functions/logged/logs?follow=true&since=1m");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using HttpResponseMessage answer = await _server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("application/x-ndjson", answer.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await answer.Content.ReadAsStreamAsync(cancel.Token));

        await CallAsync("followed-1");

        while (true)
        {
            string? line = await reader.ReadLineAsync(cancel.Token);
            Assert.NotNull(line);
            if (JsonNode.Parse(line)!["id"]?.GetValue<string>() == "followed-1")
            {
                break;
            }
        }
    }

    [Theory]
    [InlineData("?since=yesterday", "since must be a time")]
    [InlineData("?since=5x", "got '5x'")]
    [InlineData("?follow=maybe", "follow must be true or false")]
    [InlineData("?limit=0", "limit must be 1..100000")]
    public async Task BadQuery_400NamingIt(string query, string expected)
    {
        using HttpResponseMessage answer = await _server.Client.GetAsync($"/v1/functions/logged/logs{query}");
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains(expected, await answer.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnknownFunction_404()
    {
        using HttpResponseMessage answer = await _server.Client.GetAsync("/v1/functions/nobody/logs");
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Contains("'nobody'", await answer.Content.ReadAsStringAsync());
    }

    [Fact]
    public void Since_AgesAndTimes()
    {
        var now = new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(now.AddSeconds(-30), LogEndpoints.Since("30s", now).Since);
        Assert.Equal(now.AddMinutes(-10), LogEndpoints.Since("10m", now).Since);
        Assert.Equal(now.AddDays(-1), LogEndpoints.Since("1d", now).Since);
        Assert.Equal(new DateTimeOffset(2026, 12, 4, 10, 0, 0, TimeSpan.Zero), LogEndpoints.Since("2026-12-04T10:00:00Z", now).Since);
        Assert.Null(LogEndpoints.Since("", now).Since);
    }

    [Fact]
    public async Task Sweep_RemovesRecordsPastTheRetention_KeepsTheRest()
    {
        string dir = Paths.NewTempDir("serval-logs");
        try
        {
            var time = new FakeTimeProvider();
            await using var logs = new FunctionLogs(Path.Combine(dir, "logs.db"), new LogOptions { Retention = TimeSpan.FromHours(1) }, time);
            await logs.StartAsync(CancellationToken.None);
            logs.Append(new LogRecord { Time = time.GetUtcNow(), Function = "f", Version = 1, Id = "old" });
            time.Advance(TimeSpan.FromMinutes(50));
            logs.Append(new LogRecord { Time = time.GetUtcNow(), Function = "f", Version = 1, Id = "new" });
            await Eventually.TrueAsync(() => logs.Read("f", 0, null, 10).Count == 2, "both records written");
            time.Advance(TimeSpan.FromMinutes(20));

            Assert.Equal(1, logs.Sweep());

            Assert.Equal(["new"], logs.Read("f", 0, null, 10).Select(r => r.Id));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
