namespace Serval.Server.Tests;

public class ServalOptionsTests
{
    [Fact]
    public void Parse_AsyncFlags_SetTheAsyncOptions()
    {
        var options = ServalOptions.Parse(["--async-max-payload-mb", "2", "--async-retention-hours", "36"]);

        Assert.Equal(2L << 20, options.Async.MaxPayloadBytes);
        Assert.Equal(TimeSpan.FromHours(36), options.Async.Retention);
    }

    [Theory]
    [InlineData("--async-max-payload-mb", "0", "--async-max-payload-mb must be 1..2047, got '0'")]
    [InlineData("--async-retention-hours", "-1", "--async-retention-hours must be a positive number of hours, got '-1'")]
    public void Parse_BadAsyncFlag_NamesIt(string flag, string value, string message) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => ServalOptions.Parse([flag, value])).Message);

    [Fact]
    public void Parse_AlertsAndPricesFiles_AreRead_AndTheirProblemsNamedWithTheLine()
    {
        string dir = Serval.TestSupport.Paths.NewTempDir("serval-options");
        string alerts = Path.Combine(dir, "alerts.yaml"), prices = Path.Combine(dir, "prices.yaml"), bad = Path.Combine(dir, "bad.yaml");
        File.WriteAllText(alerts, "interval: 5s\nrules:\n  - { name: Errors, signal: error_rate, above: 0.1 }\n");
        File.WriteAllText(prices, "currency: EUR\nrequest: 0.5\n");
        File.WriteAllText(bad, "rules:\n  - { name: Errors, signal: errors, above: 0.1 }\n");

        var options = ServalOptions.Parse(["--alerts", alerts, "--prices", prices]);

        Assert.Equal(TimeSpan.FromSeconds(5), options.Alerts.Interval);
        Assert.Equal("Errors", Assert.Single(options.Alerts.Rules).Name);
        Assert.Equal(("EUR", 0.5m), (options.Prices.Currency, options.Prices.Request));
        Assert.StartsWith($"--alerts: {bad}:2:29: rules[0].signal: 'errors' is not a signal", Assert.Throws<ArgumentException>(() => ServalOptions.Parse(["--alerts", bad])).Message);
        Assert.StartsWith($"--prices {dir}/none.yaml: cannot be read", Assert.Throws<ArgumentException>(() => ServalOptions.Parse(["--prices", Path.Combine(dir, "none.yaml")])).Message);
        Assert.Equal(Serval.Core.Alerts.AlertConfig.DefaultRules, ServalOptions.Parse([]).Alerts.Rules);
    }

    [Fact]
    public void Validate_BadAsyncOptions_NameTheField()
    {
        var errors = new Serval.Server.Async.AsyncOptions { Lease = TimeSpan.FromMilliseconds(10), WebhookAttempts = 0 }.Validate().ToList();

        Assert.Contains(errors, e => e.StartsWith("Async.Lease must be at least 300 ms", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Async.WebhookAttempts", StringComparison.Ordinal));
    }

    [Theory]
    // arguments → auth on
    [InlineData("", false)]
    [InlineData("--host 127.0.0.1", false)]
    [InlineData("--host ::1", false)]
    [InlineData("--host 0.0.0.0", true)]
    [InlineData("--host 192.168.1.10", true)]
    [InlineData("--host 0.0.0.0 --auth off", false)]
    [InlineData("--auth on", true)]
    public void Parse_Auth_OnOffLoopbackByDefault(string arguments, bool on) =>
        Assert.Equal(on, ServalOptions.Parse(arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)).AuthEnabled);

    [Fact]
    public void Parse_BadAuth_NamesIt() =>
        Assert.Equal("--auth must be on or off, got 'yes'", Assert.Throws<ArgumentException>(() => ServalOptions.Parse(["--auth", "yes"])).Message);
}
