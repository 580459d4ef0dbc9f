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
