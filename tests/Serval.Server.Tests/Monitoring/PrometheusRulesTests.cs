using System.Diagnostics;
using System.Text.RegularExpressions;
using Serval.Core.Alerts;
using Serval.Core.Wire;
using Serval.Server.Monitoring;
using Serval.Server.Tests.Support;
using Serval.TestSupport;

namespace Serval.Server.Tests.Monitoring;

/// <summary>deploy/prometheus/serval-alerts.yml: valid for promtool, firing as its unit tests say, on the platform's real metric names, and the same rules as the platform's defaults.</summary>
public sealed partial class PrometheusRulesTests
{
    private static readonly string Dir = Path.Combine(Paths.Root, "deploy", "prometheus");

    private static async Task<(int Exit, string Output)> PromtoolAsync(params string[] args)
    {
        var info = new ProcessStartInfo(PrometheusServer.Tool("promtool")) { WorkingDirectory = Dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using Process promtool = Process.Start(info)!;
        Task<string> output = promtool.StandardOutput.ReadToEndAsync();
        string errors = await promtool.StandardError.ReadToEndAsync();
        await promtool.WaitForExitAsync();
        return (promtool.ExitCode, await output + errors);
    }

    [Fact]
    public async Task Rules_PassPromtoolCheckRules()
    {
        var (exit, output) = await PromtoolAsync("check", "rules", "serval-alerts.yml");

        Assert.True(exit == 0, $"promtool check rules (exit {exit}):\n{output}");
        Assert.Contains("SUCCESS: 5 rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rules_PassTheirPromtoolUnitTests()
    {
        var (exit, output) = await PromtoolAsync("test", "rules", "serval-alerts.test.yml");

        Assert.True(exit == 0, $"promtool test rules (exit {exit}):\n{output}");
    }

    [Fact]
    public async Task Rules_NameOnlyFamiliesThePlatformExposes_AndTheDefaultRules()
    {
        var metrics = new Metrics();
        metrics.Invocation("f", 1, new InvokeError(ErrorKind.FunctionError, "x"), 1, 2, dispatched: true);
        metrics.ColdStart("f", 1, 0.1);
        metrics.AsyncEnded("f", 1, "Failed");
        metrics.AsyncOldestAge.WithLabels("f", "1").Set(3);
        using var stream = new MemoryStream();
        await metrics.WriteAsync(stream, CancellationToken.None);
        string exposition = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        string rules = await File.ReadAllTextAsync(Path.Combine(Dir, "serval-alerts.yml"));

        var used = MetricName().Matches(rules).Select(m => m.Value).ToHashSet();
        Assert.NotEmpty(used);
        Assert.All(used, name => Assert.Contains($"\n{name}{{", exposition, StringComparison.Ordinal));
        Assert.Equal(AlertConfig.DefaultRules.Select(r => r.Name), AlertName().Matches(rules).Select(m => m.Groups[1].Value));
    }

    [GeneratedRegex(@"serval_[a-z_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"- alert: (\w+)")]
    private static partial Regex AlertName();
}
