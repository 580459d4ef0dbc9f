namespace Serval.Onnx;

/// <summary>Where a session runs.</summary>
public enum ExecutionDevice
{
    /// <summary>The CPU provider.</summary>
    Cpu,
    /// <summary>The CUDA provider; loading fails with a clear message where it cannot be loaded.</summary>
    Cuda,
}

/// <summary>How a session is created.</summary>
public sealed record SessionOptions
{
    /// <summary>
    /// Intra-op threads; 0 lets ONNX Runtime use one per physical core. Default 1: an instance
    /// serves concurrent requests on separate threads, so one thread per run avoids oversubscribing
    /// the cores (rec [1,3,48,320] runs 24 ms on 1 thread, 13 ms on 2, on a 2-core machine).
    /// </summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>
    /// Whether idle intra-op threads spin. Off by default: on shared cores spinning threads were
    /// slower (rec 44 → 20 ms median under a competing busy loop with spinning off).
    /// </summary>
    public bool AllowSpinning { get; init; }

    /// <summary>The execution provider.</summary>
    public ExecutionDevice Device { get; init; } = ExecutionDevice.Cpu;

    /// <summary>The GPU ordinal when <see cref="Device"/> is CUDA.</summary>
    public int DeviceId { get; init; }

    /// <summary>Where ONNX Runtime writes the optimised graph (a cache for the next load); null for none.</summary>
    public string? OptimizedModelPath { get; init; }

    /// <summary>Graph optimisation level: 0 none, 1 basic, 2 extended, 99 all (the default).</summary>
    public int GraphOptimizationLevel { get; init; } = 99;
}
