namespace Serval.Core.Billing;

/// <summary>
/// What the platform charges (<c>--prices FILE</c>): per second of each reserved resource while an
/// invocation runs, per request, and for provisioned instances' idle time at their own, lower rates.
/// Amounts are <see cref="decimal"/> so a bill adds up to the cent.
/// </summary>
/// <remarks>
/// The defaults are list prices of public clouds, to give the figures a scale until an operator sets
/// their own: a vCPU-second and a GB-second at AWS Fargate's on-demand rates ($0.04048 per vCPU-hour,
/// $0.004445 per GB-hour), a GPU-second at $0.59 an hour (a T4-class card), $0.20 per million
/// requests (Lambda's); idle provisioned time at a quarter of the running rates, as Lambda prices
/// provisioned concurrency ($0.0000041667 against $0.0000166667 per GB-second).
/// </remarks>
public sealed record PriceSheet
{
    /// <summary>The currency the amounts are in (a label only): default <c>USD</c>.</summary>
    public string Currency { get; init; } = "USD";

    /// <summary>Per reserved core (<c>resources.cpu</c>) and second an invocation runs.</summary>
    public decimal VcpuSecond { get; init; } = 0.00001124m;

    /// <summary>Per reserved GiB (<c>resources.memory</c>) and second an invocation runs.</summary>
    public decimal GbSecond { get; init; } = 0.00000123m;

    /// <summary>Per reserved GPU (<c>resources.gpu</c>, fractions count as such) and second an invocation runs.</summary>
    public decimal GpuSecond { get; init; } = 0.000164m;

    /// <summary>Per invocation answered by an instance.</summary>
    public decimal Request { get; init; } = 0.0000002m;

    /// <summary>Per reserved core and second a provisioned instance is ready with nothing in flight.</summary>
    public decimal IdleVcpuSecond { get; init; } = 0.00000281m;

    /// <summary>Per reserved GiB and second a provisioned instance is idle.</summary>
    public decimal IdleGbSecond { get; init; } = 0.0000003075m;

    /// <summary>Per reserved GPU and second a provisioned instance is idle.</summary>
    public decimal IdleGpuSecond { get; init; } = 0.000041m;
}

/// <summary>What one instance of a version reserves on its node (its <c>resources</c>).</summary>
/// <param name="Cpu">Cores.</param>
/// <param name="MemoryMb">Memory, MiB.</param>
/// <param name="Gpu">GPUs (a fraction is a share).</param>
public readonly record struct Reserved(double Cpu, long MemoryMb, double Gpu);
