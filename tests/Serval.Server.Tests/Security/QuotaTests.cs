using System.Net;
using System.Text;
using Serval.Server.Tests.Support;
using Serval.TestSupport;

namespace Serval.Server.Tests.Security;

/// <summary>Per-key quotas answer 429 with Retry-After and a body naming the quota.</summary>
public sealed class QuotaTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new(configure: o => o with { Auth = true });

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        await _server.DeployHandlerAsync("noop", "NoOp");
        await _server.DeployHandlerAsync("slow", "Slow");
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task RequestsPerMinute_OverTheRate_429WithRetryAfterNamingTheQuota()
    {
        var created = await Json.ReadAsync(await _server.Client.PostAsync("/v1/keys", new StringContent("""{"scopes":["invoke"],"functions":["noop"],"rpm":3}""", Encoding.UTF8, "application/json")));
        using HttpClient client = _server.ClientWith((string)created["key"]!);

        // A bucket of 3 that refills one every 20 s: three pass at once, the fourth is refused.
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage ok = await client.PostAsync("/fn/noop", new StringContent("{}"));
            statuses.Add(ok.StatusCode);
        }

        using HttpResponseMessage refused = await client.PostAsync("/fn/noop", new StringContent("{}"));
        using HttpResponseMessage others = await _server.Client.PostAsync("/fn/noop", new StringContent("{}")); // another key is not limited

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        TimeSpan retry = refused.Headers.RetryAfter!.Delta!.Value;
        Assert.InRange(retry, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20));
        var body = await Json.ReadAsync(refused);
        Assert.Equal("rpm", (string?)body["quota"]);
        Assert.Equal(3, (int)body["limit"]!);
        Assert.Contains("over its quota of 3 requests per minute", (string?)body["error"]);
        Assert.Equal(HttpStatusCode.OK, others.StatusCode);
        string metrics = await _server.Client.GetStringAsync("/metrics");
        Assert.Contains($"serval_quota_rejections_total{{key=\"{created["id"]}\",quota=\"rpm\"}} 1", metrics);
    }

    [Fact]
    public async Task Concurrency_SecondCallWhileOneRuns_429_ThenServedWhenItEnds()
    {
        string key = await _server.CreateKeyAsync(new { scopes = new[] { "invoke" }, functions = new[] { "slow" }, concurrency = 1 });
        using HttpClient client = _server.ClientWith(key);
        using var cancel = new CancellationTokenSource();

        Task<HttpResponseMessage> running = client.PostAsync("/fn/slow", new StringContent("60000"), cancel.Token);
        await Eventually.TrueAsync(async () => (int?)(await Json.ReadAsync(await _server.Client.GetAsync("/v1/functions/slow/scaling")))["inFlight"] == 1,
            "the first call runs", TimeSpan.FromSeconds(30));
        using HttpResponseMessage refused = await client.PostAsync("/fn/slow", new StringContent("1"));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("concurrency", (string?)(await Json.ReadAsync(refused))["quota"]);
        // Once the first call has ended (the server sees the abort), the key may call again.
        await Eventually.TrueAsync(async () =>
        {
            using HttpResponseMessage again = await client.PostAsync("/fn/slow", new StringContent("1"));
            return again.StatusCode == HttpStatusCode.OK;
        }, "a call after the first ended is served", TimeSpan.FromSeconds(30));
    }
}
