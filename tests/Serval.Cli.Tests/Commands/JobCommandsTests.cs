using Serval.Cli.Tests.Support;
using Serval.TestSupport;

namespace Serval.Cli.Tests.Commands;

/// <summary><c>invoke --async</c>, <c>jobs</c>, <c>job</c>, <c>job cancel</c>, <c>job wait</c> against a scripted platform.</summary>
public sealed class JobCommandsTests : IDisposable
{
    private const string Id = "0190a1b2c3d4e5f60718293a4b5c6d7e";

    private const string Succeeded = $$"""
        {"id":"{{Id}}","function":"echo","version":2,"status":"Succeeded","createdAt":"2026-01-01T00:00:00Z","endedAt":"2026-01-01T00:00:01Z",
         "reason":null,"attempts":[{"n":1,"startedAt":"2026-01-01T00:00:00Z","endedAt":"2026-01-01T00:00:00.250Z","error":"boom","errorClass":"function"},
                                   {"n":2,"startedAt":"2026-01-01T00:00:00.5Z","endedAt":"2026-01-01T00:00:01Z","error":null,"errorClass":null}],
         "deliveries":[{"destination":"audit","kind":"function","condition":"Success","status":"Delivered","attempts":1}],
         "resultStatus":200,"resultType":"application/json","resultSize":13,"result":{"hello":"you"},"resultUrl":"/v1/invocations/{{Id}}/result"}
        """;

    private readonly FakeServal _server = new();
    private readonly string _dir = Paths.NewTempDir("serval-cli");

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task InvokeBodyAsyncWithKey_SendsHeadersAndPrintsTheJobId()
    {
        string file = Path.Combine(_dir, "in.json");
        await File.WriteAllTextAsync(file, "{\"a\":1}");
        _server.On("POST", "/fn/echo", Answer.Json(202, $$"""{"id":"{{Id}}","function":"echo","status":"Queued","location":"/v1/invocations/{{Id}}","replayed":false}"""));

        var run = await CliRunner.RunAsync("invoke", "echo", "--body", file, "--async", "--key", "order-7", "--url", _server.Url);

        Assert.Equal("", run.Error);
        Assert.Equal(0, run.ExitCode);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("async", request.Headers["X-Serval-Invocation-Type"]);
        Assert.Equal("order-7", request.Headers["Idempotency-Key"]);
        Assert.Equal("application/json", request.ContentType);
        Assert.Equal("{\"a\":1}", request.BodyText);
        Assert.Equal(Id, run.Output.Split('\n')[0].Trim());
        Assert.Contains($"./serval job wait {Id}", run.Output);
    }

    [Fact]
    public async Task InvokeTensorAsync_SendsTheOipRequestAsAsync()
    {
        string file = Path.Combine(_dir, "x.bin");
        await File.WriteAllBytesAsync(file, new byte[12]);
        _server.On("POST", "/v2/models/tiny/infer", Answer.Json(202, $$"""{"id":"{{Id}}","status":"Queued"}"""));

        var run = await CliRunner.RunAsync("invoke", "tiny", $"x=@{file}", "--shape", "x=3", "--datatype", "x=FP32", "--async", "--url", _server.Url);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("async", Assert.Single(_server.Requests).Headers["X-Serval-Invocation-Type"]);
        Assert.StartsWith(Id, run.Output);
    }

    [Fact]
    public async Task InvokeKeyWithoutAsync_SaysToAddAsync()
    {
        var run = await CliRunner.RunAsync("invoke", "echo", "--body", "x", "--key", "k", "--url", _server.Url);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("--key is for jobs: add --async", run.Error.Trim());
    }

    [Fact]
    public async Task InvokeBodySync_PrintsTheJsonAnswer()
    {
        string file = Path.Combine(_dir, "in.txt");
        await File.WriteAllTextAsync(file, "hi");
        _server.On("POST", "/fn/echo", Answer.Json(200, "{\"hello\":\"hi\"}"));

        var run = await CliRunner.RunAsync("invoke", "echo", "--body", file, "--url", _server.Url);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("text/plain", Assert.Single(_server.Requests).ContentType);
        Assert.Contains("\"hello\": \"hi\"", run.Output);
    }

    [Fact]
    public async Task Jobs_FiltersInTheQueryAndOneRowEach()
    {
        _server.On("GET", "/v1/invocations", Answer.Json(200, $$"""
            {"invocations":[{"id":"{{Id}}","function":"echo","version":2,"status":"Failed","createdAt":"2026-01-01T00:00:00Z","attemptCount":3,"reason":"retries exhausted"}],
             "next":"{{Id}}"}
            """));

        var run = await CliRunner.RunAsync("jobs", "--function", "echo", "--status", "Failed", "--limit", "1", "--url", _server.Url);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("?limit=1&function=echo&status=Failed", Assert.Single(_server.Requests).Query);
        Assert.Matches($@"{Id}\s+echo\s+2\s+Failed\s+3\s+\S+.*retries exhausted", run.Output);
        Assert.Contains($"./serval jobs --after {Id}", run.Output);
    }

    [Fact]
    public async Task Job_ShowsStatusAttemptsDeliveriesAndResult()
    {
        _server.On("GET", $"/v1/invocations/{Id}", Answer.Json(200, Succeeded));

        var run = await CliRunner.RunAsync("job", Id, "--url", _server.Url);

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"status\s+Succeeded", run.Output);
        Assert.Matches(@"1\s+2026-01-01\s+250 ms\s+function\s+boom", run.Output);
        Assert.Matches(@"audit\s+function\s+Success\s+Delivered\s+1", run.Output);
        Assert.Contains("\"hello\": \"you\"", run.Output);
    }

    [Fact]
    public async Task JobUnknown_SaysNoJob()
    {
        var run = await CliRunner.RunAsync("job", "nope", "--url", _server.Url);

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("no job nope", run.Error.Trim());
    }

    [Fact]
    public async Task JobCancel_PostsAndPrintsTheStatus()
    {
        _server.On("POST", $"/v1/invocations/{Id}/cancel", Answer.Json(200, $$"""{"id":"{{Id}}","status":"Cancelled","reason":"cancelled by request while queued"}"""));

        var run = await CliRunner.RunAsync("job", "cancel", Id, "--url", _server.Url);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("POST", Assert.Single(_server.Requests).Method);
        Assert.Equal($"job {Id}: Cancelled: cancelled by request while queued", run.Output.Trim());
    }

    [Fact]
    public async Task JobCancelEnded_PrintsTheServersReason()
    {
        _server.On("POST", $"/v1/invocations/{Id}/cancel", Answer.Json(409, $$"""{"error":"invocation {{Id}} already ended Succeeded: only Queued or Running invocations can be cancelled"}"""));

        var run = await CliRunner.RunAsync("job", "cancel", Id, "--url", _server.Url);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("already ended Succeeded", run.Error);
    }

    [Fact]
    public async Task JobWaitSucceeded_Exit0WithTheResult()
    {
        _server.On("GET", $"/v1/invocations/{Id}", Answer.Json(200, Succeeded));

        var run = await CliRunner.RunAsync("job", "wait", Id, "--url", _server.Url);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\"hello\": \"you\"", run.Output);
    }

    [Fact]
    public async Task JobWaitFailed_Exit1WithTheReason()
    {
        _server.On("GET", $"/v1/invocations/{Id}", Answer.Json(200, $$"""{"id":"{{Id}}","status":"Failed","reason":"retries exhausted: all 3 runs failed","attempts":[]}"""));

        var run = await CliRunner.RunAsync("job", "wait", Id, "--url", _server.Url);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"job {Id} Failed: retries exhausted: all 3 runs failed", run.Error.Trim());
    }

    [Fact]
    public async Task JobWaitPastTimeout_Exit1SaysStillRunning()
    {
        _server.On("GET", $"/v1/invocations/{Id}", Answer.Json(200, $$"""{"id":"{{Id}}","status":"Running"}"""));

        var run = await CliRunner.RunAsync("job", "wait", Id, "--timeout", "600ms", "--url", _server.Url);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"job {Id} is still Running after 600ms", run.Error.Trim());
        Assert.InRange(_server.Requests.Count, 2, 10);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-5s")]
    public async Task JobWaitBadTimeout_SaysWhatADurationIs(string timeout)
    {
        var run = await CliRunner.RunAsync("job", "wait", Id, "--timeout", timeout, "--url", _server.Url);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"--timeout: '{timeout}' is not a duration like 30s, 5m or 1h", run.Error.Trim());
    }
}
