using Serval.Core.Alerts;

namespace Serval.Core.Tests.Alerts;

public sealed class AlertConfigReaderTests
{
    [Fact]
    public void Read_FullFile_GivesRulesWebhooksAndInterval()
    {
        const string text = """
            interval: 2s   # evaluated often
            webhooks: [ "http://127.0.0.1:9000/alerts" ]
            webhook_attempts: 3
            rules:
              - name: OcrErrors
                signal: error_rate
                functions: "ocr*"
                above: 0.1
                window: 30s
                for: 5s
                min_requests: 4
              - { name: Slow, signal: p99, above: 2.5 }
            """;

        var (config, errors) = AlertConfigReader.Read("alerts.yaml", text);

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromSeconds(2), config!.Interval);
        Assert.Equal([new Uri("http://127.0.0.1:9000/alerts")], config.Webhooks);
        Assert.Equal(3, config.WebhookAttempts);
        AlertRule ocr = config.Rules[0];
        Assert.Equal(("OcrErrors", AlertSignal.ErrorRate, "ocr*", 0.1), (ocr.Name, ocr.Signal, ocr.Functions.Text, ocr.Above));
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5), 4), (ocr.Window, ocr.For, ocr.MinRequests));
        AlertRule slow = config.Rules[1];
        Assert.Equal(("*", TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1), 10), (slow.Functions.Text, slow.Window, slow.For, slow.MinRequests));
    }

    [Fact]
    public void Read_Json_IsReadToo()
    {
        var (config, errors) = AlertConfigReader.Read("alerts.json", """{"webhooks": ["https://example.org/hook"], "rules": [{"name": "Jobs", "signal": "async_failures", "above": 0, "for": "0s"}]}""");

        Assert.Empty(errors);
        Assert.Equal(AlertSignal.AsyncFailures, Assert.Single(config!.Rules).Signal);
    }

    [Fact]
    public void Read_NoRules_KeepsTheDefaults()
    {
        var (config, errors) = AlertConfigReader.Read("alerts.yaml", "webhooks: [\"http://127.0.0.1:1/x\"]");

        Assert.Empty(errors);
        Assert.Equal(AlertConfig.DefaultRules, config!.Rules);
    }

    [Theory]
    [InlineData("rules:\n  - { name: A, signal: latency, above: 1 }", "alerts.yaml:2:24: rules[0].signal: 'latency' is not a signal (one of error_rate, p99, queue_age, cold_start_rate, async_failures)")]
    [InlineData("rules:\n  - { name: A, signal: p99 }", "rules[0].above: missing")]
    [InlineData("rules:\n  - { signal: p99, above: 1 }", "rules[0].name: missing")]
    [InlineData("rules:\n  - { name: A, signal: p99, above: fast }", "rules[0].above: expected a number, got 'fast'")]
    [InlineData("rules:\n  - { name: A, signal: p99, above: 1, window: soon }", "rules[0].window: expected a duration")]
    [InlineData("rules:\n  - { name: A, signal: p99, above: 1, functions: 'a*b' }", "rules[0].functions: function pattern 'a*b'")]
    [InlineData("rules:\n  - { name: A, signal: p99, above: 1, treshold: 2 }", "rules[0].treshold: unknown key")]
    [InlineData("rules:\n  - { name: A, signal: p99, above: 1 }\n  - { name: A, signal: p99, above: 2 }", "rules[1].name: 'A' names an earlier rule too")]
    [InlineData("webhooks: [ftp://x]", "webhooks[0]: expected an http:// or https:// URL, got 'ftp://x'")]
    [InlineData("interval: 1ms", "interval: must be at least 100ms")]
    [InlineData("rule: []", "alerts.yaml:1:1: rule: unknown key (known: ")]
    [InlineData("rules: [", "alerts.yaml:")]
    [InlineData("- a\n- b", "expected one mapping of keys")]
    public void Read_BadFile_NamesTheLineAndTheKey(string text, string expected)
    {
        var (config, errors) = AlertConfigReader.Read("alerts.yaml", text);

        Assert.Null(config);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }
}
