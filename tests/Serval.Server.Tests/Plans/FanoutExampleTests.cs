using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Serval.Server.Tests.Support;
using Serval.TestSupport;
using Xunit.Abstractions;

namespace Serval.Server.Tests.Plans;

/// <summary>
/// examples/fanout end to end, as a user runs it: the page drawn by its make-input.sh, the functions
/// and the plan deployed from its templates, the plan invoked asynchronously (202), the job's summary
/// read from the status API. The lines it counts are the lines the page holds; the job with the map
/// fanned out is timed against the same job one strip at a time.
/// </summary>
public sealed partial class FanoutExampleTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Example = "examples/fanout";

    private readonly ServerFixture _server = new();
    private readonly string _input = Paths.NewTempDir("serval-fanout");
    private string _published = "";

    public async Task InitializeAsync()
    {
        Task<string> published = DotnetCli.PublishAsync($"{Example}/FanoutFunctions.csproj");
        Task drawn = DrawAsync();
        await _server.InitializeAsync();
        _published = await published;
        await drawn;
        foreach (string function in new[] { "split", "detect", "merge", "summary" })
        {
            await DeployAsync(await File.ReadAllTextAsync(Path.Combine(Paths.Root, Example, $"{function}.yaml")), withPackage: true);
        }

        string plan = await File.ReadAllTextAsync(Path.Combine(Paths.Root, Example, "serval.yaml"));
        await DeployAsync(plan, withPackage: false);
        await DeployAsync(plan.Replace("name: fanout", "name: fanout-serial", StringComparison.Ordinal)
            .Replace("map: true, concurrency: 8", "map: true, concurrency: 1", StringComparison.Ordinal), withPackage: false);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        foreach (string dir in new[] { _published, _input })
        {
            if (dir.Length > 0)
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public async Task The_job_counts_the_lines_the_page_holds_and_prints_the_speed_up_of_the_fan_out()
    {
        JsonNode truth = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_input, "page.json")))!;
        int drawn = (int)truth["lines"]!;
        byte[] page = await File.ReadAllBytesAsync(Path.Combine(_input, "page.png"));

        // The first job starts the instances; the timed ones find them warm.
        await RunJobAsync("fanout", page);
        var (serial, serialSteps, _) = await RunJobAsync("fanout-serial", page);
        var (parallel, parallelSteps, summary) = await RunJobAsync("fanout", page);

        int lines = (int)summary["lines"]!;
        output.WriteLine($"page: 1000×8000, {drawn} lines drawn; the job found {lines} in {(int)summary["chunks"]!} strips ({(int)summary["dropped"]!} boxes dropped in the merge)");
        output.WriteLine($"bands: {string.Join(" ", summary["bands"]!.AsArray().Select(b => $"{(int)b!["lines"]!}:{(double)b["density"]!:0.000}"))}");
        output.WriteLine($"one strip at a time: {serial.TotalMilliseconds:0} ms ({serialSteps})");
        output.WriteLine($"fanned out (8):      {parallel.TotalMilliseconds:0} ms ({parallelSteps})");
        output.WriteLine($"speed-up: {serial / parallel:0.00}× on {Environment.ProcessorCount} cores (detect step: {StepMs(serialSteps, "detect") / StepMs(parallelSteps, "detect"):0.00}×)");

        Assert.InRange(lines, drawn - 2, drawn + 2);
        Assert.Equal(9, (int)summary["chunks"]!);
        Assert.Equal(8, summary["bands"]!.AsArray().Count);
        Assert.Equal(lines, summary["bands"]!.AsArray().Sum(b => (int)b!["lines"]!));
        Assert.InRange((double)summary["meanLineHeight"]!, 20, 60);
    }

    /// <summary>Submits the page to <paramref name="plan"/> asynchronously; the job's run time, step timings and summary.</summary>
    private async Task<(TimeSpan Took, string Steps, JsonNode Summary)> RunJobAsync(string plan, byte[] page)
    {
        var content = new ByteArrayContent(page);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        string id = await AsyncCalls.SubmitAsync(_server.Client, plan, content);

        JsonNode job = await AsyncCalls.WaitAsync(_server.Client, id, TimeSpan.FromMinutes(3));
        Assert.True((string)job["status"]! == "Succeeded", $"job {id} of {plan}: {job.ToJsonString()}");
        JsonNode attempt = job["attempts"]!.AsArray()[^1]!;
        TimeSpan took = DateTimeOffset.Parse((string)attempt["endedAt"]!, CultureInfo.InvariantCulture) - DateTimeOffset.Parse((string)attempt["startedAt"]!, CultureInfo.InvariantCulture);
        using HttpResponseMessage result = await _server.Client.GetAsync($"/v1/invocations/{id}/result");
        return (took, result.Headers.GetValues("X-Serval-Steps").Single(), job["result"]!);
    }

    /// <summary>The milliseconds of <paramref name="step"/> in an <c>X-Serval-Steps</c> value ("detect[9]=812.4").</summary>
    private static double StepMs(string steps, string step) =>
        double.Parse(StepPattern().Matches(steps).Single(m => m.Groups[1].Value == step).Groups[2].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"(\w+)(?:\[\d+\])?=([0-9.]+)")]
    private static partial Regex StepPattern();

    private async Task DrawAsync()
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(Paths.Root, Example, "make-input.sh"));
        info.ArgumentList.Add(_input);
        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        Assert.True(process.ExitCode == 0, $"make-input.sh failed: {await stdout}{await stderr}");
        output.WriteLine((await stdout).Trim());
    }

    private async Task DeployAsync(string spec, bool withPackage)
    {
        var files = new List<(string, byte[])>();
        if (withPackage)
        {
            files.AddRange(ServerFixture.PublishedFiles(_published));
            if (spec.Contains("ch_PP-OCRv4_det_infer.onnx", StringComparison.Ordinal))
            {
                files.Add(("ch_PP-OCRv4_det_infer.onnx", await File.ReadAllBytesAsync(Paths.DetModel)));
            }
        }

        using HttpResponseMessage response = await _server.DeployBytesAsync(spec, [.. files]);
        Assert.True(response.IsSuccessStatusCode, $"deploy failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{spec}");
    }
}
