using System.Text.Json;
using Serval.Cli.Tests.Support;

namespace Serval.Cli.Tests.Commands;

public sealed class ReleaseCommandTests : IDisposable
{
    private const string Running = """
        {"function":"ocr","latest":4,
         "serving":{"alias":"prod","stable":3,"canary":4,"percent":10,"weights":{"3":90,"4":10},"bids":["acme"],"sticky":"X-Serval-Bid"},
         "release":{"id":2,"kind":"progressive","from":3,"to":4,"state":"running","step":0,"percent":10,"started":"2026-12-04T12:00:00Z","stepStarted":"2026-12-04T12:00:00Z","ended":null,
           "reason":"v3 → v4 in steps of 10 → 50 → 100 %, 1m each: 10 % of callers of acme first",
           "history":[{"at":"2026-12-04T12:00:00Z","action":"start","percent":10,"reason":"v3 → v4 in steps of 10 → 50 → 100 %, 1m each: 10 % of callers of acme first"}]},
         "now":{"decision":"wait","reason":"step 1 of 3 (10 %): watched 12 s of 60 s, 31 requests on v4",
           "stable":{"version":3,"requests":280,"errors":0,"errorRate":0,"p99Ms":12.5},"canary":{"version":4,"requests":31,"errors":0,"errorRate":0,"p99Ms":13.1}},
         "past":[{"id":1,"kind":"update","from":2,"to":3,"state":"promoted","ended":"2026-12-04T11:00:00Z","reason":"no release in the template: switched at once"}]}
        """;

    private readonly FakeServal _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Release_Running_ShowsSplitStepFiguresHistoryAndEarlierOnes()
    {
        _server.On("GET", "/v1/functions/ocr/release", Answer.Json(200, Running));

        var run = await CliRunner.RunAsync("release", "ocr", "--url", _server.Url);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("ocr: prod → v3 90 %, v4 10 % (callers by X-Serval-Bid, bids acme), latest v4", run.Output);
        Assert.Contains("release #2 (progressive) v3 → v4: running at 10 %", run.Output);
        Assert.Contains("now: step 1 of 3 (10 %): watched 12 s of 60 s, 31 requests on v4", run.Output);
        Assert.Contains("v4 (canary): 31 requests, 0 errors, p99 13.1 ms", run.Output);
        Assert.Contains("start", run.Output);
        Assert.Contains("#1", run.Output);
        Assert.Contains("switched at once", run.Output);
    }

    [Fact]
    public async Task Rollback_To_SendsTheVersion_PrintsTheOutcome()
    {
        _server.On("POST", "/v1/functions/ocr/release", Answer.Json(200, """
            {"function":"ocr","latest":4,"serving":{"alias":"prod","stable":2,"canary":null,"percent":0,"weights":{"2":100}},
             "release":{"id":3,"kind":"rollback","from":3,"to":2,"state":"promoted","percent":100,"started":"2026-12-04T12:00:00Z","reason":"rolled back by hand from v3 to v2","history":[]},"now":null,"past":[]}
            """));

        var run = await CliRunner.RunAsync("rollback", "ocr", "--to", "2", "--url", _server.Url);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("ocr: prod → v2, latest v4", run.Output);
        Assert.Contains("rolled back by hand from v3 to v2", run.Output);
        using var body = JsonDocument.Parse(Assert.Single(_server.Requests).BodyText);
        Assert.Equal("rollback", body.RootElement.GetProperty("action").GetString());
        Assert.Equal(2, body.RootElement.GetProperty("to").GetInt32());
    }

    [Fact]
    public async Task Promote_NothingRunning_PrintsTheServersReason()
    {
        _server.On("POST", "/v1/functions/ocr/release", Answer.Json(400, """{"error":"no release of ocr is running: v3 serves everyone; deploy a version with 'release:' to start one"}"""));

        var run = await CliRunner.RunAsync("promote", "ocr", "--url", _server.Url);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("no release of ocr is running: v3 serves everyone; deploy a version with 'release:' to start one", run.Error.Trim());
        using var body = JsonDocument.Parse(Assert.Single(_server.Requests).BodyText);
        Assert.Equal("promote", body.RootElement.GetProperty("action").GetString());
    }

    [Fact]
    public async Task Rollback_BadTo_SaysSoAndSendsNothing()
    {
        var run = await CliRunner.RunAsync("rollback", "ocr", "--to", "0", "--url", _server.Url);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--to: a version number (1, 2, ...), got 0", run.Error);
        Assert.Empty(_server.Requests);
    }
}
