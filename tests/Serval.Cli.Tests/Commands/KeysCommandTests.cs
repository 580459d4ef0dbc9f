using System.Text.Json;
using Serval.Cli.Tests.Support;

namespace Serval.Cli.Tests.Commands;

public sealed class KeysCommandTests : IDisposable
{
    private const string Key = "sv_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private const string Admin = "sv_aaaaaaaaaaaa_adminadminadminadminadminadminadminadmi";
    private readonly FakeServal _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Create_SendsScopesFunctionsAndQuota_PrintsTheKeyAloneOnItsLastLine()
    {
        _server.On("POST", "/v1/keys", Answer.Json(201, $$"""
            {"id":"0123456789ab","label":"ocr team","scopes":["invoke"],"functions":["ocr*"],"created":"2026-12-04T12:00:00Z",
             "expires":"2099-01-01T00:00:00Z","quota":{"rpm":60,"concurrency":4},"key":"{{Key}}"}
            """));

        var run = await CliRunner.RunAsync("keys", "create", "--scope", "invoke", "--function", "ocr*", "--label", "ocr team", "--expires", "30d",
            "--rpm", "60", "--concurrency", "4", "--url", _server.Url, "--key", Admin);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(Key, run.Output.TrimEnd().Split('\n')[^1]);
        Assert.Contains("created key 0123456789ab: invoke on ocr*", run.Output);
        Assert.Contains("60 rpm, 4 concurrent", run.Output);
        ReceivedRequest request = Assert.Single(_server.Requests);
        Assert.Equal($"Bearer {Admin}", request.Headers["Authorization"]);
        using var body = JsonDocument.Parse(request.BodyText);
        Assert.Equal("invoke", body.RootElement.GetProperty("scopes")[0].GetString());
        Assert.Equal("ocr*", body.RootElement.GetProperty("functions")[0].GetString());
        Assert.Equal("ocr team", body.RootElement.GetProperty("label").GetString());
        Assert.Equal("30d", body.RootElement.GetProperty("expires").GetString());
        Assert.Equal(60, body.RootElement.GetProperty("rpm").GetInt32());
        Assert.Equal(4, body.RootElement.GetProperty("concurrency").GetInt32());
    }

    [Fact]
    public async Task Create_CommaSeparatedScopesAndFunctions_SentAsLists()
    {
        _server.On("POST", "/v1/keys", Answer.Json(201, $$"""{"id":"0123456789ab","scopes":["deploy","invoke"],"functions":["a","b-*"],"key":"{{Key}}"}"""));

        var run = await CliRunner.RunAsync("keys", "create", "--scope", "deploy,invoke", "--function", "a", "--function", "b-*", "--url", _server.Url);

        Assert.Equal(0, run.ExitCode);
        using var body = JsonDocument.Parse(Assert.Single(_server.Requests).BodyText);
        Assert.Equal(["deploy", "invoke"], body.RootElement.GetProperty("scopes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["a", "b-*"], body.RootElement.GetProperty("functions").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("--scope", "root", "--scope: 'root' is not a scope (admin, deploy, invoke)")]
    [InlineData("--function", "o*cr", "--function: function pattern 'o*cr': '*' may only end a pattern")]
    [InlineData("--expires", "soon", "--expires: 'soon' is not a lifetime")]
    public async Task Create_BadValue_SaysWhichAndSendsNothing(string option, string value, string message)
    {
        string[] args = option == "--scope" ? ["keys", "create", option, value, "--url", _server.Url] : ["keys", "create", "--scope", "invoke", option, value, "--url", _server.Url];

        var run = await CliRunner.RunAsync(args);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Error);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Create_Refused_PrintsTheServersReason()
    {
        _server.On("POST", "/v1/keys", Answer.Json(403, """{"error":"key 0123456789ab lacks scope admin (it has scope invoke)","scope":"admin"}"""));

        var run = await CliRunner.RunAsync("keys", "create", "--scope", "invoke", "--function", "*", "--url", _server.Url, "--key", Key);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("key 0123456789ab lacks scope admin (it has scope invoke)", run.Error.Trim());
    }

    [Fact]
    public async Task Ls_ShowsIdLabelScopesFunctionsCreatedExpiresQuota()
    {
        _server.On("GET", "/v1/keys", Answer.Json(200, """
            [{"id":"aaaaaaaaaaaa","label":"admin (first start)","scopes":["admin"],"functions":["*"],"created":"2026-01-01T00:00:00Z","expires":null,"quota":{"rpm":null,"concurrency":null}},
             {"id":"0123456789ab","label":"ocr team","scopes":["deploy","invoke"],"functions":["ocr*","det"],"created":"2026-01-02T00:00:00Z","expires":"2099-01-01T00:00:00Z","quota":{"rpm":60,"concurrency":null}}]
            """));

        var run = await CliRunner.RunAsync("keys", "ls", "--url", _server.Url, "--key", Admin);

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"id\s+label\s+scopes\s+functions\s+created\s+expires\s+quota", run.Output);
        Assert.Matches(@"aaaaaaaaaaaa\s+admin \(first start\)\s+admin\s+\*\s+2026-01-01\s+never\s+-", run.Output);
        Assert.Matches(@"0123456789ab\s+ocr team\s+deploy,invoke\s+ocr\*,det\s+2026-01-02\s+2099-01-01\s+60 rpm", run.Output);
        Assert.Equal($"Bearer {Admin}", Assert.Single(_server.Requests).Headers["Authorization"]);
    }

    [Fact]
    public async Task Rm_DeletesTheKey()
    {
        _server.On("DELETE", "/v1/keys/0123456789ab", new Answer(204, []));

        var run = await CliRunner.RunAsync("keys", "rm", "0123456789ab", "--url", _server.Url, "--key", Admin);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("removed key 0123456789ab", run.Output);
    }

    [Fact]
    public async Task Rm_UnknownKey_SaysSo()
    {
        _server.On("DELETE", "/v1/keys/nope", Answer.Json(404, """{"error":"no key with id 'nope' (serval keys ls lists them)"}"""));

        var run = await CliRunner.RunAsync("keys", "rm", "nope", "--url", _server.Url);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("no key with id 'nope' (serval keys ls lists them)", run.Error.Trim());
    }

    [Fact]
    public async Task Audit_ShowsTheRecords_SinceAsATime()
    {
        _server.On("GET", "/v1/audit", Answer.Json(200, """
            [{"seq":1,"at":"2026-12-04T17:00:00Z","key":"aaaaaaaaaaaa","action":"deploy","target":"ocr-rec","status":201,"outcome":"ok"},
             {"seq":2,"at":"2026-12-04T17:01:00Z","key":null,"action":"delete","target":"ocr-rec","status":401,"outcome":"refused: no key"}]
            """));

        var run = await CliRunner.RunAsync("audit", "--since", "1h", "--limit", "10", "--url", _server.Url, "--key", Admin);

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"2026-12-04 17:00:00\s+aaaaaaaaaaaa\s+deploy\s+ocr-rec\s+201\s+ok", run.Output);
        Assert.Matches(@"2026-12-04 17:01:00\s+-\s+delete\s+ocr-rec\s+401\s+refused: no key", run.Output);
        ReceivedRequest request = Assert.Single(_server.Requests);
        Assert.Contains("limit=10", request.Query);
        Assert.Matches(@"since=\d{4}-\d\d-\d\dT", Uri.UnescapeDataString(request.Query));
    }

    [Fact]
    public async Task AnyCommand_Key_SentAsBearer_NoneWithoutIt()
    {
        _server.On("GET", "/v1/functions", Answer.Json(200, "[]"));

        await CliRunner.RunAsync("ls", "--url", _server.Url, "--key", Key);
        await CliRunner.RunAsync("ls", "--url", _server.Url);

        var requests = _server.Requests.ToArray();
        Assert.Equal($"Bearer {Key}", requests[0].Headers["Authorization"]);
        Assert.Null(requests[1].Headers["Authorization"]);
    }
}

/// <summary>Tests that set process environment variables: run alone.</summary>
[CollectionDefinition("environment", DisableParallelization = true)]
public sealed class EnvironmentCollection;

[Collection("environment")]
public sealed class KeyVariableTests : IDisposable
{
    private readonly FakeServal _server = new();

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("SERVAL_KEY", null);
        _server.Dispose();
    }

    [Fact]
    public async Task ServalKey_SentAsBearer_KeyOptionWins()
    {
        _server.On("GET", "/v1/functions", Answer.Json(200, "[]"));
        Environment.SetEnvironmentVariable("SERVAL_KEY", "sv_fromenvironm_x");

        await CliRunner.RunAsync("ls", "--url", _server.Url);
        await CliRunner.RunAsync("ls", "--url", _server.Url, "--key", "sv_fromoptionnn_y");

        var requests = _server.Requests.ToArray();
        Assert.Equal("Bearer sv_fromenvironm_x", requests[0].Headers["Authorization"]);
        Assert.Equal("Bearer sv_fromoptionnn_y", requests[1].Headers["Authorization"]);
    }
}
