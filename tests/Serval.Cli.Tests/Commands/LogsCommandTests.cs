using Serval.Cli.Commands;
using Serval.Cli.Tests.Support;

namespace Serval.Cli.Tests.Commands;

/// <summary><c>logs NAME</c> against a scripted platform: the query it sends and the lines it prints.</summary>
public sealed class LogsCommandTests : IDisposable
{
    private const string Invocation = """{"seq":1,"time":"2026-12-04T10:00:01.5Z","kind":"invocation","function":"ocr","version":2,"instance":"ocr-v2-ab","node":"n1","id":"req-1","start":"2026-12-04T10:00:01.49Z","durationMs":3.25,"billedMs":4,"memoryMb":81.5,"cold":true,"status":200}""";
    private const string Line = """{"seq":2,"time":"2026-12-04T10:00:01.6Z","kind":"log","function":"ocr","version":2,"instance":"ocr-v2-ab","line":"info ocr: read 3 lines"}""";
    private const string Failed = """{"seq":3,"time":"2026-12-04T10:00:02Z","kind":"invocation","function":"ocr","version":2,"instance":"ocr-v2-ab","id":"req-2","durationMs":9,"billedMs":9,"memoryMb":82,"cold":false,"status":504,"error":"ran past its timeout"}""";

    private readonly FakeServal _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Logs_SinceAge_SendsTheQueryAndPrintsEachRecordOnALine()
    {
        _server.On("GET", "/v1/functions/ocr/logs", new Answer(200, System.Text.Encoding.UTF8.GetBytes($"{Invocation}\n{Line}\n{Failed}\n"), "application/x-ndjson"));

        var run = await CliRunner.RunAsync("logs", "ocr", "--since", "10m", "--url", _server.Url);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("?follow=false&since=10m", Assert.Single(_server.Requests).Query);
        string[] lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToArray();
        Assert.Equal(
        [
            "2026-12-04 10:00:01.500  v2  req-1  200  3.25 ms (billed 4 ms)  81.5 MiB  cold  ocr-v2-ab",
            "2026-12-04 10:00:01.600  v2  ocr-v2-ab  info ocr: read 3 lines",
            "2026-12-04 10:00:02.000  v2  req-2  504  9 ms (billed 9 ms)  82 MiB  ocr-v2-ab  error: ran past its timeout",
        ], lines);
    }

    [Fact]
    public async Task Logs_UnknownFunction_FailsWithTheServersMessage()
    {
        _server.On("GET", "/v1/functions/nobody/logs", Answer.Json(404, """{"error":"function 'nobody' is not deployed"}"""));

        var run = await CliRunner.RunAsync("logs", "nobody", "-f", "--url", _server.Url);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("function 'nobody' is not deployed", run.Error);
        Assert.Equal("?follow=true", Assert.Single(_server.Requests).Query);
    }

    [Fact]
    public void Format_LogLine_TimeVersionInstanceText() =>
        Assert.Equal("2026-12-04 10:00:01.600  v2  ocr-v2-ab  info ocr: read 3 lines", LogsCommand.Format(Line));
}
