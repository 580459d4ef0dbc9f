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
}
