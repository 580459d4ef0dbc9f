using Serval.Core.Billing;

namespace Serval.Core.Tests.Billing;

public sealed class PriceSheetReaderTests
{
    [Fact]
    public void Read_Sheet_OverridesWhatItNames_AndKeepsTheRest()
    {
        var (prices, errors) = PriceSheetReader.Read("prices.yaml", "currency: EUR\nvcpu_second: 0.00002\nrequest: 0.000001\nidle: { gb_second: 0.0000001 }\n");

        Assert.Empty(errors);
        Assert.Equal("EUR", prices!.Currency);
        Assert.Equal(0.00002m, prices.VcpuSecond);
        Assert.Equal(0.000001m, prices.Request);
        Assert.Equal(0.0000001m, prices.IdleGbSecond);
        Assert.Equal(new PriceSheet().GbSecond, prices.GbSecond);
        Assert.Equal(new PriceSheet().IdleVcpuSecond, prices.IdleVcpuSecond);
    }

    [Theory]
    [InlineData("vcpu_second: -1", "prices.yaml:1:14: vcpu_second: expected a number of at least 0, got '-1'")]
    [InlineData("gb_second: cheap", "gb_second: expected a number of at least 0, got 'cheap'")]
    [InlineData("idle: { cpu_second: 1 }", "idle.cpu_second: unknown key")]
    [InlineData("per_request: 1", "per_request: unknown key (known: ")]
    public void Read_BadSheet_NamesTheKey(string text, string expected)
    {
        var (prices, errors) = PriceSheetReader.Read("prices.yaml", text);

        Assert.Null(prices);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }
}
