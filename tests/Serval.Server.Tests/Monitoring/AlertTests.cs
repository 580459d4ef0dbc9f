using System.Net;
using System.Text.Json.Nodes;
using Serval.Core.Alerts;
using Serval.Server.Tests.Support;
using Serval.TestSupport;

namespace Serval.Server.Tests.Monitoring;

/// <summary>
/// Alerts end to end on a real platform: a function made to fail fires its error-rate rule, the event
/// reaches a webhook on 127.0.0.1 (retried after the webhook's first answer, a 500), and once calls
/// succeed again the alert resolves and a resolving event follows. States are waited for, never timed.
/// </summary>
public sealed class AlertTests : IAsyncLifetime
{
    private readonly WebhookListener _webhook = new(500); // the first POST is refused: the notifier must retry
    private ServerFixture _server = null!;

    public async Task InitializeAsync()
    {
        var (config, errors) = AlertConfigReader.Read("alerts.yaml", $"""
            interval: 200ms
            webhooks: [ "{_webhook.Url}" ]
            rules:
              - name: FlakyErrors
                signal: error_rate
                functions: "flaky*"
                above: 0.5
                window: 3s
                for: 600ms
                min_requests: 4
            """);
        Assert.Empty(errors);
        _server = new ServerFixture(configure: o => o with { Alerts = config! });
        await _server.InitializeAsync();
        await _server.DeployHandlerAsync("flaky", "Flaky");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _webhook.Dispose();
    }

    private async Task CallAsync(string body, HttpStatusCode expected)
    {
        using HttpResponseMessage answer = await _server.Client.PostAsync("/fn/flaky", new StringContent(body));
        Assert.Equal(expected, answer.StatusCode);
    }

    private List<JsonNode> Delivered(string status) =>
        [.. _webhook.Received.Where(r => r.Answered == 200).Select(r => JsonNode.Parse(r.Body)!).Where(e => (string)e["status"]! == status)];

    private async Task<JsonNode> AlertsAsync() => await Json.ReadAsync(await _server.Client.GetAsync("/v1/alerts"));

    [Fact]
    public async Task FailingCalls_FireTheRuleToTheWebhook_ThenSucceedingCallsResolveIt()
    {
        // Failing calls (Flaky fails while the body's number is at least the attempt, 1) until the alert fires.
        await Eventually.TrueAsync(async () =>
        {
            await CallAsync("1", HttpStatusCode.InternalServerError);
            return Delivered("firing").Count > 0;
        }, "a firing event delivered to the webhook", TimeSpan.FromSeconds(60));

        var refused = _webhook.Received.First();
        Assert.Equal(500, refused.Answered);
        Assert.Equal("firing", (string)JsonNode.Parse(refused.Body)!["status"]!);
        JsonNode fired = Assert.Single(Delivered("firing"));
        Assert.Equal(("FlakyErrors", "error_rate", "flaky"), ((string)fired["rule"]!, (string)fired["signal"]!, (string)fired["function"]!));
        Assert.True((double)fired["value"]! > 0.5);
        Assert.Equal(0.5, (double)fired["threshold"]!);
        Assert.True(DateTimeOffset.Parse((string)fired["firedAt"]!) >= DateTimeOffset.Parse((string)fired["activeAt"]!));
        Assert.StartsWith("error_rate of flaky is ", (string)fired["summary"]!);

        // The platform lists it as firing (it stays firing while failures dominate the window, or resolved if they already rolled out).
        JsonNode listing = await AlertsAsync();
        Assert.Equal("FlakyErrors", (string)listing["rules"]![0]!["name"]!);
        Assert.Equal(1, (int)listing["webhooks"]!);
        Assert.Contains(listing["active"]!.AsArray().Concat(listing["recent"]!.AsArray()), a => (string)a!["rule"]! == "FlakyErrors" && (string)a["function"]! == "flaky");

        // Succeeding calls (body 0) until the error rate falls and a resolving event arrives.
        await Eventually.TrueAsync(async () =>
        {
            await CallAsync("0", HttpStatusCode.OK);
            return Delivered("resolved").Count > 0;
        }, "a resolving event delivered to the webhook", TimeSpan.FromSeconds(60));

        JsonNode resolved = Assert.Single(Delivered("resolved"));
        Assert.Equal((string)fired["activeAt"]!, (string)resolved["activeAt"]!);
        Assert.True(DateTimeOffset.Parse((string)resolved["resolvedAt"]!) >= DateTimeOffset.Parse((string)fired["firedAt"]!));
        // Firing came before resolving, each delivered once.
        var order = _webhook.Received.Where(r => r.Answered == 200).Select(r => (string)JsonNode.Parse(r.Body)!["status"]!).ToList();
        Assert.Equal(["firing", "resolved"], order);

        listing = await AlertsAsync();
        Assert.Empty(listing["active"]!.AsArray());
        JsonNode recent = Assert.Single(listing["recent"]!.AsArray())!;
        Assert.Equal(("resolved", "flaky"), ((string)recent["status"]!, (string)recent["function"]!));
    }
}
