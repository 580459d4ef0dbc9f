namespace Serval.Core.Billing;

/// <summary>
/// The bill's arithmetic, a pure policy: what an invocation and a stretch of idle provisioned time
/// cost under a <see cref="PriceSheet"/>. Invocations are charged their billed time (compute time in
/// whole milliseconds, rounded up: <c>X-Serval-Billed-Ms</c>) times what their instance reserves, plus
/// the request price; on-demand instances cost nothing while idle (the platform's risk, as in any
/// serverless bill), provisioned ones are charged their idle time at the idle rates.
/// </summary>
public static class CostModel
{
    private const decimal MibPerGib = 1024m;

    /// <summary>
    /// One invocation: 250 billed ms on 1 core and 2048 MiB at $0.00001124 per vCPU-s and $0.00000123
    /// per GB-s, $0.0000002 a request → 0.25 × (1 × 0.00001124 + 2 × 0.00000123) + 0.0000002 = $0.000003625.
    /// </summary>
    public static decimal Invocation(PriceSheet prices, Reserved reserved, long billedMs) =>
        ResourceSeconds(prices.VcpuSecond, prices.GbSecond, prices.GpuSecond, reserved, billedMs / 1000m) + prices.Request;

    /// <summary>The duration part of <see cref="Invocation"/> alone (without the request price).</summary>
    public static decimal Compute(PriceSheet prices, Reserved reserved, long billedMs) =>
        ResourceSeconds(prices.VcpuSecond, prices.GbSecond, prices.GpuSecond, reserved, billedMs / 1000m);

    /// <summary>
    /// Idle provisioned time: 60 s of one idle instance of 0.5 cores and 1024 MiB at $0.00000281 per
    /// idle vCPU-s and $0.0000003075 per idle GB-s → 60 × (0.5 × 0.00000281 + 1 × 0.0000003075) = $0.00010275.
    /// </summary>
    public static decimal Idle(PriceSheet prices, Reserved reserved, decimal seconds) =>
        ResourceSeconds(prices.IdleVcpuSecond, prices.IdleGbSecond, prices.IdleGpuSecond, reserved, seconds);

    private static decimal ResourceSeconds(decimal vcpu, decimal gb, decimal gpu, Reserved reserved, decimal seconds)
    {
        // Resources come as doubles from the spec (0.5 cores): their decimal form is what was written.
        decimal perSecond = (decimal)reserved.Cpu * vcpu + reserved.MemoryMb / MibPerGib * gb + (decimal)reserved.Gpu * gpu;
        return seconds * perSecond;
    }
}
