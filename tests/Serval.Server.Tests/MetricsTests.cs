using System.Net;
using Serval.Server.Monitoring;
using Serval.Server.Tests.Support;
using Serval.TestSupport;

namespace Serval.Server.Tests;

public sealed class MetricsTests(ModelsFixture fixture) : IClassFixture<ModelsFixture>
{
    [Fact]
    public void Render_CounterAndHistogram_PrometheusTextFormat()
    {
        var metrics = new Metrics();
        string labels = Metrics.Labels("ocr-rec", 3);
        metrics.Count("serval_x_total", "X.", labels);
        metrics.Count("serval_x_total", "X.", labels, 2);
        metrics.Observe("serval_y_seconds", "Y.", labels, 0.3, [0.1, 0.5]);
        metrics.Observe("serval_y_seconds", "Y.", labels, 0.05, [0.1, 0.5]);
        string text = metrics.Render([("serval_z", "Z.", "", 7)]);
        Assert.Contains("# TYPE serval_x_total counter\nserval_x_total{function=\"ocr-rec\",version=\"3\"} 3\n", text);
        Assert.Contains("serval_y_seconds_bucket{function=\"ocr-rec\",version=\"3\",le=\"0.1\"} 1\n", text);
        Assert.Contains("serval_y_seconds_bucket{function=\"ocr-rec\",version=\"3\",le=\"0.5\"} 2\n", text);
        Assert.Contains("serval_y_seconds_bucket{function=\"ocr-rec\",version=\"3\",le=\"+Inf\"} 2\n", text);
        Assert.Contains("serval_y_seconds_count{function=\"ocr-rec\",version=\"3\"} 2\n", text);
        Assert.Contains("# TYPE serval_z gauge\nserval_z 7\n", text);
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
        Assert.Contains("serval_invocations_total{function=\"scraped\",version=\"1\",code=\"200\"} 2\n", text);
        Assert.Contains("serval_cold_starts_total{function=\"scraped\",version=\"1\"} 1\n", text);
        Assert.Contains("serval_cold_start_seconds_count{function=\"scraped\",version=\"1\"} 1\n", text);
        Assert.Contains("serval_instances{function=\"scraped\",version=\"1\",state=\"Ready\"} 1\n", text);
        Assert.Contains("serval_invocation_seconds_count{function=\"scraped\",version=\"1\"} 2\n", text);
        Assert.Contains("serval_node_cores ", text);
    }
}
