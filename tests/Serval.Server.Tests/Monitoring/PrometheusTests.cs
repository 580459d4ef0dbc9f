using System.Net;
using Serval.Server.Tests.Support;
using Serval.TestSupport;

namespace Serval.Server.Tests.Monitoring;

/// <summary>A real Prometheus scrapes the platform, and PromQL over what it stored sees the calls the test made.</summary>
public sealed class PrometheusTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Prometheus_ScrapesThePlatform_PromQlCountsTheRequestsSent()
    {
        await _server.DeployModelAsync("promq", Paths.ClsModel);
        const int Sent = 7;
        for (int i = 0; i < Sent; i++)
        {
            using var r = await _server.Client.PostAsync("/fn/promq", InferenceTests.Raw(Inputs.Floats(3 * 48 * 192), "1,3,48,192"));
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }

        await using PrometheusServer prometheus = await PrometheusServer.StartAsync(_server.Client.BaseAddress!.Authority);

        const string Query = "sum(serval_invocations_total{function=\"promq\",cause=\"ok\"})";
        double? seen = null;
        await Eventually.TrueAsync(async () => (seen = await prometheus.QueryAsync(Query)) is not null, $"a scrape holding {Query}", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250));
        Assert.Equal(Sent, seen);
        Assert.Equal(1, await prometheus.QueryAsync("up{job=\"serval\"}"));
        // A histogram family arrives whole: its count equals the requests that reached an instance.
        Assert.Equal(Sent, await prometheus.QueryAsync("sum(serval_compute_duration_seconds_count{function=\"promq\"})"));
    }
}
