using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Serval.Core.Billing;
using Serval.Server.Tests.Support;
using Serval.TestSupport;

namespace Serval.Server.Tests.Monitoring;

/// <summary>The bill of a real platform with a known price sheet (given as a --prices file) after a scripted load.</summary>
public sealed class CostTests : IAsyncLifetime
{
    // Large prices so that every billed millisecond shows in the cents: 1 core and 1 GiB cost 1.5 a second.
    private const string Sheet = """
        currency: EUR
        vcpu_second: 1
        gb_second: 0.5
        gpu_second: 2
        request: 0.01
        idle: { vcpu_second: 0.1, gb_second: 0.05 }
        """;

    private readonly string _sheetFile = Path.Combine(Paths.NewTempDir("serval-prices"), "prices.yaml");
    private ServerFixture _server = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(_sheetFile, Sheet);
        PriceSheet prices = Serval.Server.ServalOptions.Parse(["--prices", _sheetFile]).Prices;
        _server = new ServerFixture(configure: o => o with { Prices = prices });
        await _server.InitializeAsync();
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    private async Task<JsonNode> CostAsync(string query)
    {
        using HttpResponseMessage answer = await _server.Client.GetAsync("/v1/cost" + query);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        return await Json.ReadAsync(answer);
    }

    [Fact]
    public async Task Bill_AfterAScriptedLoad_IsTheBilledTimeTimesThePricesToTheCent()
    {
        await _server.DeployHandlerAsync("billed", "Slow", "resources: { cpu: 1, memory: 1Gi }\n");
        decimal expected = 0;
        long billedMs = 0;
        foreach (int sleep in new[] { 5, 20, 40, 60, 80, 100, 5, 20, 40, 60 })
        {
            using HttpResponseMessage answer = await _server.Client.PostAsync("/fn/billed", new StringContent(sleep.ToString(CultureInfo.InvariantCulture)));
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            long billed = long.Parse(answer.Headers.GetValues("X-Serval-Billed-Ms").Single(), CultureInfo.InvariantCulture);
            billedMs += billed;
            // What the sheet says, worked by hand: billed s × (1 core × 1 + 1 GiB × 0.5) + 0.01 a request.
            expected += billed / 1000m * 1.5m + 0.01m;
        }

        JsonNode bill = await CostAsync("?by=function");

        Assert.Equal("EUR", (string)bill["currency"]!);
        JsonNode row = Assert.Single(bill["rows"]!.AsArray(), r => (string)r!["function"]! == "billed")!;
        Assert.Equal(10, (long)row["requests"]!);
        Assert.Equal(billedMs / 1000.0, (double)row["billedSeconds"]!, precision: 9);
        Assert.Equal(0.10m, row["requestCost"]!.GetValue<decimal>());
        Assert.Equal(decimal.Round(expected, 2), decimal.Round(row["cost"]!.GetValue<decimal>(), 2));
        Assert.Equal(expected, row["cost"]!.GetValue<decimal>()); // and exactly: the ledger keeps 12 decimals
        Assert.True(expected >= 0.10m + 0.43m * 1.5m, $"the load was billed {billedMs} ms, less than the handler slept");

        // The same charges by version and by mode: one version, all on demand.
        JsonNode byVersion = await CostAsync("?by=version");
        Assert.Equal(1, (int)Assert.Single(byVersion["rows"]!.AsArray(), r => (string)r!["function"]! == "billed")!["version"]!);
        JsonNode byMode = await CostAsync("?by=mode");
        Assert.Equal(["on-demand"], byMode["rows"]!.AsArray().Select(r => (string)r!["mode"]!));
        Assert.Equal(expected, byMode["total"]!["cost"]!.GetValue<decimal>());
        // A start after every charge leaves nothing.
        JsonNode later = await CostAsync("?since=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(2).ToString("O", CultureInfo.InvariantCulture)));
        Assert.Equal(0m, later["total"]!["cost"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Bill_ProvisionedInstance_ChargesItsIdleTimeAtTheIdleRates_ToItsFunction()
    {
        await _server.DeployHandlerAsync("kept", "NoOp", "resources: { cpu: 1, memory: 1Gi }\ninstances: { min: 1, max: 1 }\n");
        await _server.WaitForInstancesAsync("kept", i => i.Any(x => (string)x!["state"]! == "Ready"), TimeSpan.FromSeconds(60), "a provisioned instance ready");
        using (HttpResponseMessage answer = await _server.Client.PostAsync("/fn/kept", new StringContent("")))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        JsonNode? idle = null;
        await Eventually.TrueAsync(async () =>
        {
            JsonNode bill = await CostAsync("?by=function,mode");
            idle = bill["rows"]!.AsArray().FirstOrDefault(r => (string)r!["function"]! == "kept" && (string)r["mode"]! == "provisioned");
            return idle is not null && (double)idle["idleSeconds"]! >= 2;
        }, "two idle provisioned seconds charged to kept", TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500));

        // The call ran on the provisioned instance: billed under its mode, with the idle time.
        Assert.Equal(1, (long)idle!["requests"]!);
        double seconds = (double)idle["idleSeconds"]!;
        decimal idleCost = idle["idleCost"]!.GetValue<decimal>();
        // 1 core × 0.1 + 1 GiB × 0.05 = 0.15 a second, within the millisecond idleSeconds is shown to.
        Assert.InRange(idleCost, (decimal)(seconds - 0.001) * 0.15m, (decimal)(seconds + 0.001) * 0.15m);
        Assert.DoesNotContain((await CostAsync("?by=function,mode"))["rows"]!.AsArray(), r => (string)r!["function"]! == "kept" && (string)r["mode"]! == "on-demand");
    }

    [Theory]
    [InlineData("?by=region", "by must be function, version or mode (or several, comma-separated: function,mode), got 'region'")]
    [InlineData("?by=function,", "got ''")]
    [InlineData("?since=yesterday", "since must be a time (2026-12-04T10:00:00Z) or an age (30s, 10m, 2h, 1d), got 'yesterday'")]
    public async Task Cost_BadQuery_Is400NamingIt(string query, string message)
    {
        using HttpResponseMessage answer = await _server.Client.GetAsync("/v1/cost" + query);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains(message, await Json.ErrorAsync(answer), StringComparison.Ordinal);
    }
}
