using Serval.Cli.Tests.Support;

namespace Serval.Cli.Tests.Commands;

public sealed class ListCommandsTests : IDisposable
{
    private readonly FakeServal _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Ls_Functions_PrintsOneRowEach()
    {
        _server.On("GET", "/v1/functions", Answer.Json(200, """
            [{"name":"ocr-rec","runtime":"onnx","latestVersion":3,"versions":3,"description":null,
              "created":"2025-01-01T00:00:00Z","updated":"2025-01-02T00:00:00Z","instances":1,"nextTrigger":null},
             {"name":"hello-dotnet","runtime":"dotnet","latestVersion":1,"versions":1,"instances":0,"nextTrigger":"2099-01-01T03:00:00Z"}]
            """));

        var run = await CliRunner.RunAsync("ls", "--url", _server.Url + "/");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"name\s+runtime\s+latest\s+versions\s+instances\s+updated\s+next trigger", run.Output);
        Assert.Matches(@"ocr-rec\s+onnx\s+3\s+3\s+1\s+2025-01-02\s+-", run.Output);
        Assert.Matches(@"hello-dotnet\s+dotnet\s+1\s+1\s+0\s+-\s+2099-01-01", run.Output);
    }

    [Fact]
    public async Task Ls_NoFunctions_SaysHowToDeploy()
    {
        _server.On("GET", "/v1/functions", Answer.Json(200, "[]"));

        var run = await CliRunner.RunAsync("ls", "--url", _server.Url);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("./serval deploy DIR", run.Output);
    }

    [Fact]
    public async Task Versions_Function_ShowsShortDigestAndSize()
    {
        _server.On("GET", "/v1/functions/ocr-rec/versions", Answer.Json(200, """
            [{"version":2,"digest":"sha256:abcdef0123456789abcdef","created":"2025-01-02T00:00:00Z",
              "files":[{"path":"rec.onnx","size":10485760,"digest":"sha256:1"},{"path":"x","size":0,"digest":"sha256:2"}]}]
            """));

        var run = await CliRunner.RunAsync("versions", "ocr-rec", "--url", _server.Url);

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"2\s+abcdef012345\s+2025-01-02\s+2\s+10 MiB", run.Output);
    }

    [Fact]
    public async Task Versions_UnknownFunction_SaysSo()
    {
        var run = await CliRunner.RunAsync("versions", "nope", "--url", _server.Url);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("no function named nope", run.Error.Trim());
    }

    [Fact]
    public async Task Instances_Function_ShowsStateAndColdStart()
    {
        _server.On("GET", "/v1/functions/ocr-rec/instances", Answer.Json(200, """
            [{"id":"ocr-rec-3-a","version":3,"state":"Ready","reason":"first request","pid":4242,
              "started":"2025-01-02T00:00:00Z","ready":"2025-01-02T00:00:01Z","coldStartMs":812,"inFlight":2}]
            """));
        _server.On("GET", "/v1/functions/ocr-rec/scaling", Answer.Json(200, """
            {"version":3,"min":2,"max":4,"minSource":"schedule '0 8 * * *'","desired":2,"queued":0,
             "nextChange":{"at":"2025-01-02T22:00:00Z","min":0,"text":"0 at 2025-01-02 22:00 UTC"}}
            """));

        var run = await CliRunner.RunAsync("instances", "ocr-rec", "--url", _server.Url);

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"ocr-rec-3-a\s+3\s+Ready\s+first request\s+4242\s+2025-01-02\s+812 ms\s+2", run.Output);
        Assert.Contains("min 2 (schedule '0 8 * * *') · max 4 · desired 2 · next: 0 at 2025-01-02 22:00 UTC", run.Output);
    }

    [Fact]
    public async Task Rm_Existing_SendsDelete()
    {
        _server.On("DELETE", "/v1/functions/ocr-rec", new Answer(204, []));

        var run = await CliRunner.RunAsync("rm", "ocr-rec", "--url", _server.Url);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("removed ocr-rec", run.Output.Trim());
        Assert.Equal("DELETE", Assert.Single(_server.Requests).Method);
    }

    [Fact]
    public async Task Rm_UnknownFunction_SaysNoFunctionNamed()
    {
        var run = await CliRunner.RunAsync("rm", "nope", "--url", _server.Url);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("no function named nope", run.Error.Trim());
    }
}
