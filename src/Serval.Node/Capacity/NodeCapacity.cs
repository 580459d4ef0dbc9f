using Serval.Core.Placement;

namespace Serval.Node.Capacity;

/// <summary>
/// What this node can host, and what its instances have reserved: cores, memory and GPUs, never
/// overcommitted. An instance reserves its <c>resources</c> when it is asked for and gives them back
/// when it ends; an instance asking for a GPU (or a share of one) starts only where one is free, and
/// learns which devices are its own (<see cref="GpuPlacement"/>). Thread-safe.
/// </summary>
public sealed class NodeCapacity(double cores, long memoryMb, int gpus = 0)
{
    private readonly object _gate = new();
    private readonly double[] _gpuUse = new double[gpus];
    private double _cores;
    private long _memoryMb;
    private double _gpus;

    /// <summary>The node's cores.</summary>
    public double Cores { get; } = cores;

    /// <summary>The node's memory for instances, MiB.</summary>
    public long MemoryMb { get; } = memoryMb;

    /// <summary>The node's GPUs.</summary>
    public int Gpus { get; } = gpus;

    /// <summary>Cores reserved now.</summary>
    public double ReservedCores
    {
        get
        {
            lock (_gate)
            {
                return _cores;
            }
        }
    }

    /// <summary>Memory reserved now, MiB.</summary>
    public long ReservedMemoryMb
    {
        get
        {
            lock (_gate)
            {
                return _memoryMb;
            }
        }
    }

    /// <summary>GPUs reserved now.</summary>
    public double ReservedGpus
    {
        get
        {
            lock (_gate)
            {
                return _gpus;
            }
        }
    }

    /// <summary>
    /// The capacity of this machine: every core, its memory less 1 GiB for the platform itself, and
    /// its NVIDIA GPUs (the <c>/dev/nvidiaN</c> device files the driver creates, one per GPU).
    /// </summary>
    public static NodeCapacity OfThisMachine()
    {
        long totalMb = 0;
        try
        {
            foreach (string line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                {
                    totalMb = long.Parse(line.AsSpan(9).Trim().TrimEnd("kB").Trim()) / 1024;
                    break;
                }
            }
        }
        catch (IOException)
        {
        }

        if (totalMb == 0)
        {
            totalMb = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes >> 20;
        }

        return new NodeCapacity(Environment.ProcessorCount, Math.Max(256, totalMb - 1024), CountGpus("/dev"));
    }

    /// <summary>The <c>nvidiaN</c> device files (N a number) in <paramref name="devices"/>; 0 where there are none.</summary>
    public static int CountGpus(string devices)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries(devices, "nvidia*")
                .Select(Path.GetFileName)
                .Count(name => name!.Length > "nvidia".Length && name.AsSpan("nvidia".Length).IndexOfAnyExceptInRange('0', '9') < 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>Reserves room for one instance; false (with what is short) when it does not fit.</summary>
    public bool TryReserve(double cores, long memoryMb, double gpus, out string? shortOf) =>
        TryReserve(cores, memoryMb, gpus, out _, out shortOf);

    /// <summary>
    /// Reserves room for one instance and the GPU devices it gets (none for a CPU instance); false
    /// (with what is short) when it does not fit.
    /// </summary>
    public bool TryReserve(double cores, long memoryMb, double gpus, out int[] devices, out string? shortOf)
    {
        devices = [];
        lock (_gate)
        {
            // A small epsilon: 8 × 0.25 cores must fit in 2.
            if (_cores + cores > Cores + 1e-9)
            {
                shortOf = $"cores: {_cores:0.##} of {Cores:0.##} reserved, {cores:0.##} more asked";
                return false;
            }

            if (_memoryMb + memoryMb > MemoryMb)
            {
                shortOf = $"memory: {_memoryMb} of {MemoryMb} MiB reserved, {memoryMb} more asked";
                return false;
            }

            if (gpus > 0)
            {
                if (GpuPlacement.Choose(_gpuUse, gpus) is not { } chosen)
                {
                    shortOf = Gpus == 0
                        ? $"gpus: this node has none, {gpus:0.##} asked (resources.gpu)"
                        : $"gpus: {_gpus:0.##} of {Gpus} reserved, {gpus:0.##} more asked{(gpus < 1 ? " (a share must fit on one device)" : " (whole devices)")}";
                    return false;
                }

                foreach (int d in chosen)
                {
                    _gpuUse[d] += GpuPlacement.ShareOn(gpus);
                }

                devices = chosen;
            }

            _cores += cores;
            _memoryMb += memoryMb;
            _gpus += gpus;
            shortOf = null;
            return true;
        }
    }

    /// <summary>Gives back what <see cref="TryReserve(double, long, double, out int[], out string?)"/> took.</summary>
    public void Release(double cores, long memoryMb, double gpus, IReadOnlyList<int> devices)
    {
        lock (_gate)
        {
            _cores = Math.Max(0, _cores - cores);
            _memoryMb = Math.Max(0, _memoryMb - memoryMb);
            _gpus = Math.Max(0, _gpus - gpus);
            foreach (int d in devices)
            {
                _gpuUse[d] = Math.Max(0, _gpuUse[d] - GpuPlacement.ShareOn(gpus));
            }
        }
    }

    /// <summary>Each device's share in use now (0 free, 1 full).</summary>
    public double[] GpuUse()
    {
        lock (_gate)
        {
            return [.. _gpuUse];
        }
    }

    /// <summary>How many more instances of this size fit now.</summary>
    public int Room(double cores, long memoryMb, double gpus)
    {
        lock (_gate)
        {
            double byCores = cores <= 0 ? int.MaxValue : Math.Floor((Cores - _cores + 1e-9) / cores);
            double byMemory = memoryMb <= 0 ? int.MaxValue : Math.Floor((double)(MemoryMb - _memoryMb) / memoryMb);
            double byGpus = gpus <= 0 ? int.MaxValue : GpuPlacement.Room(_gpuUse, gpus);
            return (int)Math.Max(0, Math.Min(Math.Min(byCores, byMemory), Math.Min(byGpus, int.MaxValue)));
        }
    }
}
