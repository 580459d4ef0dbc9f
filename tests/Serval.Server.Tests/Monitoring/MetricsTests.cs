using System.Diagnostics;
using System.Net;
using Serval.Core.Wire;
using Serval.Server.Monitoring;
using Serval.Server.Tests.Support;
using Serval.TestSupport;

namespace Serval.Server.Tests.Monitoring;

public sealed class MetricsTests(ModelsFixture fixture) : IClassFixture<ModelsFixture>
{
    private static async Task<string> TextOf(Metrics metrics)
    {
        using var stream = new MemoryStream();
        await metrics.WriteAsync(stream, CancellationToken.None);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static double Value(string text, string series)
    {
        string line = text.Split('\n').SingleOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal)) ?? throw new Xunit.Sdk.XunitException($"no series {series} in:\n{text}");
        return double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Invocation_CountsByCodeAndCause_WithQueueComputeRequestAndBilledTime()
    {
        var metrics = new Metrics();
        metrics.Invocation("ocr-rec", 3, null, queueMs: 2, computeMs: 12.3, dispatched: true);
        metrics.Invocation("ocr-rec", 3, new InvokeError(ErrorKind.Timeout, "late"), queueMs: 5, computeMs: 1000, dispatched: true);
        metrics.Invocation("ocr-rec", 3, new InvokeError(ErrorKind.BadInput, "wrong shape"), queueMs: 0, computeMs: 0, dispatched: false);

        string text = await TextOf(metrics);

        Assert.Contains("serval_invocations_total{function=\"ocr-rec\",version=\"3\",code=\"200\",cause=\"ok\"} 1\n", text);
        Assert.Contains("serval_invocations_total{function=\"ocr-rec\",version=\"3\",code=\"504\",cause=\"timeout\"} 1\n", text);
        Assert.Contains("serval_invocations_total{function=\"ocr-rec\",version=\"3\",code=\"400\",cause=\"bad_input\"} 1\n", text);
        // Billed per invocation in whole milliseconds, rounded up: 13 ms + 1000 ms.
        Assert.Contains("serval_billed_seconds_total{function=\"ocr-rec\",version=\"3\"} 1.013\n", text);
        // The request refused before dispatch has no queue, compute or request time.
        Assert.Contains("serval_queue_duration_seconds_count{function=\"ocr-rec\",version=\"3\"} 2\n", text);
        Assert.Contains("serval_compute_duration_seconds_count{function=\"ocr-rec\",version=\"3\"} 2\n", text);
        Assert.Equal(1.0193, Value(text, "serval_request_duration_seconds_sum{function=\"ocr-rec\",version=\"3\"}"), precision: 9);
        // 12.3 ms falls in the 25 ms bucket, not the 10 ms one.
        Assert.Contains("serval_compute_duration_seconds_bucket{function=\"ocr-rec\",version=\"3\",le=\"0.01\"} 0\n", text);
        Assert.Contains("serval_compute_duration_seconds_bucket{function=\"ocr-rec\",version=\"3\",le=\"0.025\"} 1\n", text);
        Assert.Contains("# TYPE serval_invocations_total counter\n", text);
        Assert.Contains("# TYPE serval_compute_duration_seconds histogram\n", text);
    }

    [Fact]
    public async Task PlanCall_CountedUnderThePlansName_WithEachStepsTime()
    {
        var metrics = new Metrics();
        metrics.PlanCall("ocr", 2, null, 120, [("detect", 40), ("recognize", 70), ("order", 1)]);
        metrics.PlanCall("ocr", 2, new InvokeError(ErrorKind.FunctionError, "step failed"), 50, [("detect", 50)]);

        string text = await TextOf(metrics);

        Assert.Contains("serval_invocations_total{function=\"ocr\",version=\"2\",code=\"200\",cause=\"ok\"} 1\n", text);
        Assert.Contains("serval_invocations_total{function=\"ocr\",version=\"2\",code=\"500\",cause=\"function_error\"} 1\n", text);
        Assert.Contains("serval_request_duration_seconds_count{function=\"ocr\",version=\"2\"} 2\n", text);
        Assert.Contains("serval_plan_step_duration_seconds_count{function=\"ocr\",version=\"2\",step=\"detect\"} 2\n", text);
        Assert.Contains("serval_plan_step_duration_seconds_sum{function=\"ocr\",version=\"2\",step=\"recognize\"} 0.07\n", text);
    }

    [Fact]
    public async Task SetAll_SeriesNoLongerTrue_LeaveTheExposition()
    {
        var metrics = new Metrics();
        Metrics.SetAll(metrics.Instances, [(["a", "1", "Ready"], 2), (["a", "1", "Starting"], 1)]);
        Metrics.SetAll(metrics.Instances, [(["a", "1", "Ready"], 3)]);

        string text = await TextOf(metrics);

        Assert.Contains("serval_instances{function=\"a\",version=\"1\",state=\"Ready\"} 3\n", text);
        Assert.DoesNotContain("state=\"Starting\"", text);
    }

    [Fact]
    public async Task Scrape_AfterCalls_HasInvocationsColdStartsAndInstancesByState()
    {
        await fixture.Server.DeployModelAsync("scraped", Paths.ClsModel);
        for (int i = 0; i < 2; i++)
        {
            using var r = await fixture.Server.Client.PostAsync("/fn/scraped", InferenceTests.Raw(Inputs.Floats(3 * 48 * 192), "1,3,48,192"));
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }

        using var response = await fixture.Server.Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType);
        string text = await response.Content.ReadAsStringAsync();
        Assert.Contains("serval_invocations_total{function=\"scraped\",version=\"1\",code=\"200\",cause=\"ok\"} 2\n", text);
        Assert.Contains("serval_cold_starts_total{function=\"scraped\",version=\"1\"} 1\n", text);
        Assert.Contains("serval_cold_start_duration_seconds_count{function=\"scraped\",version=\"1\"} 1\n", text);
        Assert.Contains("serval_instances{function=\"scraped\",version=\"1\",state=\"Ready\"} 1\n", text);
        Assert.Contains("serval_compute_duration_seconds_count{function=\"scraped\",version=\"1\"} 2\n", text);
        Assert.Contains("serval_in_flight{function=\"scraped\",version=\"1\"} 0\n", text);
        Assert.Contains($"serval_node_cores {ServerFixture.Cores}\n", text);
    }

    [Fact]
    public async Task Scrape_AfterCallsOfEveryKind_PassesPromtoolCheckMetrics()
    {
        await fixture.Server.DeployModelAsync("linted", Paths.ClsModel);
        using (var ok = await fixture.Server.Client.PostAsync("/fn/linted", InferenceTests.Raw(Inputs.Floats(3 * 48 * 192), "1,3,48,192")))
        using (var bad = await fixture.Server.Client.PostAsync("/fn/linted", InferenceTests.Raw(Inputs.Floats(7), "1,7")))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        }

        string text = await fixture.Server.Client.GetStringAsync("/metrics");
        var info = new ProcessStartInfo(PrometheusServer.Tool("promtool"), "check metrics") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using Process promtool = Process.Start(info)!;
        await promtool.StandardInput.WriteAsync(text);
        promtool.StandardInput.Close();
        Task<string> output = promtool.StandardOutput.ReadToEndAsync();
        string errors = await promtool.StandardError.ReadToEndAsync();
        await promtool.WaitForExitAsync();

        Assert.True(promtool.ExitCode == 0 && errors.Trim().Length == 0 && (await output).Trim().Length == 0, $"promtool check metrics (exit {promtool.ExitCode}):\n{await output}{errors}");
        Assert.Contains("serval_invocations_total{function=\"linted\",version=\"1\",code=\"400\",cause=\"bad_input\"} 1\n", text);
    }
}
