using Serval.Core.Billing;

namespace Serval.Core.Tests.Billing;

public sealed class CostModelTests
{
    private static readonly PriceSheet Prices = new()
    {
        VcpuSecond = 0.00001124m, GbSecond = 0.00000123m, GpuSecond = 0.000164m, Request = 0.0000002m,
        IdleVcpuSecond = 0.00000281m, IdleGbSecond = 0.0000003075m, IdleGpuSecond = 0.000041m,
    };

    [Theory]
    // 0.25 s × (1 × 0.00001124 + 2 × 0.00000123) + 0.0000002
    [InlineData(1, 2048, 0, 250, "0.000003625")]
    // Half a core and a quarter GPU: 2 s × (0.5 × 0.00001124 + 0.5 × 0.00000123 + 0.25 × 0.000164) + 0.0000002
    [InlineData(0.5, 512, 0.25, 2000, "0.00009467")]
    // No billed time costs only the request.
    [InlineData(1, 1024, 0, 0, "0.0000002")]
    public void Invocation_BilledTimeTimesReservedResources_PlusTheRequest(double cpu, long memoryMb, double gpu, long billedMs, string expected)
    {
        decimal cost = CostModel.Invocation(Prices, new Reserved(cpu, memoryMb, gpu), billedMs);

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), cost);
    }

    [Fact]
    public void Idle_ChargedAtTheIdleRates()
    {
        // 60 s × (0.5 × 0.00000281 + 1 × 0.0000003075)
        Assert.Equal(0.00010275m, CostModel.Idle(Prices, new Reserved(0.5, 1024, 0), 60));
    }

    [Fact]
    public void Invocations_AMillionAddUpToTheCent()
    {
        decimal total = 0;
        for (int i = 0; i < 1_000_000; i++)
        {
            total += CostModel.Invocation(Prices, new Reserved(1, 2048, 0), 250);
        }

        Assert.Equal(3.625m, total); // 1e6 × 0.000003625, no rounding drift
    }
}
