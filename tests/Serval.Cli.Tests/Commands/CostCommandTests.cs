using Serval.Cli.Tests.Support;

namespace Serval.Cli.Tests.Commands;

/// <summary><c>cost</c> against a scripted platform, and <c>simulate</c> on a trace file (no platform: the real policies on a simulated clock).</summary>
public sealed class CostCommandTests : IDisposable
{
    private const string Bill = """
        {"currency":"EUR","by":["function","mode"],
         "rows":[{"function":"ocr","mode":"on-demand","requests":12,"billedSeconds":0.347,"idleSeconds":0,"computeCost":0.0005205,"requestCost":0.0000024,"idleCost":0,"cost":0.0005229},
                 {"function":"ocr","mode":"provisioned","requests":3,"billedSeconds":0.09,"idleSeconds":61.5,"computeCost":0.000135,"requestCost":0.0000006,"idleCost":0.00922,"cost":0.0093556}],
         "total":{"requests":15,"billedSeconds":0.437,"idleSeconds":61.5,"computeCost":0.0006555,"requestCost":0.000003,"idleCost":0.00922,"cost":0.0098785}}
        """;

    private readonly FakeServal _server = new();
    private readonly string _dir = Serval.TestSupport.Paths.NewTempDir("serval-simulate");

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Cost_SendsSinceAndBy_AndPrintsARowPerGroupAndTheTotal()
    {
        _server.On("GET", "/v1/cost", Answer.Json(200, Bill));

        var run = await CliRunner.RunAsync("cost", "--since", "1d", "--by", "function,mode", "--url", _server.Url);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("?by=function%2Cmode&since=1d", Assert.Single(_server.Requests).Query);
        string[] lines = run.Output.Split('\n').Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToArray();
        Assert.Contains("function mode requests billed s idle s compute requests idle total EUR", lines);
        Assert.Contains("ocr on-demand 12 0.347 0 0.000521 0.000002 0.000000 0.000523", lines);
        Assert.Contains("ocr provisioned 3 0.09 61.5 0.000135 0.000001 0.009220 0.009356", lines);
        Assert.Contains("total 15 0.437 61.5 0.000656 0.000003 0.009220 0.009879", lines);
    }

    [Fact]
    public async Task Cost_BadBy_FailsWithTheServersMessage()
    {
        _server.On("GET", "/v1/cost", Answer.Json(400, """{"error":"by must be function, version or mode (or several, comma-separated: function,mode), got 'region'"}"""));

        var run = await CliRunner.RunAsync("cost", "--by", "region", "--url", _server.Url);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("got 'region'", run.Error);
    }

    [Fact]
    public async Task Simulate_Trace_PrintsTheFourStrategiesSideBySide()
    {
        string trace = Path.Combine(_dir, "burst.csv");
        await File.WriteAllTextAsync(trace, "second,rps\n0,5\n30,80\n40,5\n59,5\n");

        var run = await CliRunner.RunAsync("simulate", trace, "--service", "50ms", "--cold-start", "300ms", "--idle", "5s");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("burst.csv: 60 s of requests per second, max 4, concurrency 4, idle 5s, service 50ms, cold start 300ms", run.Output);
        string[] rows = run.Output.Split('\n');
        Assert.Contains(rows, r => r.Contains("on-demand only", StringComparison.Ordinal));
        // 80 rps × 0.05 s = 4 in flight at 2.8 each → 2 instances for the peak.
        Assert.Contains(rows, r => r.Contains("provisioned for the peak (2)", StringComparison.Ordinal) && r.Contains(" 0 ", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("scheduled minimums", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("floor 1 + on-demand", StringComparison.Ordinal));
        Assert.Contains("utilisation", run.Output);
        Assert.Contains("p99 (model)", run.Output);
    }

    [Theory]
    [InlineData("second,qps\n0,1\n", "burst.csv:1: expected the header 'second,rps' or 'second,clients', got 'second,qps'")]
    [InlineData("second,rps\n5,1\n2,1\n", "burst.csv:3: seconds must increase")]
    public async Task Simulate_BadTrace_FailsNamingTheLine(string csv, string message)
    {
        string trace = Path.Combine(_dir, "burst.csv");
        await File.WriteAllTextAsync(trace, csv);

        var run = await CliRunner.RunAsync("simulate", trace);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(message, run.Error);
    }

    [Fact]
    public async Task Simulate_BadOption_FailsNamingIt()
    {
        string trace = Path.Combine(_dir, "ok.csv");
        await File.WriteAllTextAsync(trace, "second,rps\n0,1\n");

        var run = await CliRunner.RunAsync("simulate", trace, "--service", "fast");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--service: 'fast' is not a duration", run.Error);
    }
}
