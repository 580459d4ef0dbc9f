namespace Serval.Node.Capacity;

/// <summary>
/// What this node can host, and what its instances have reserved: cores, memory and GPUs, never
/// overcommitted. An instance reserves its <c>resources</c> when it is asked for and gives them back
/// when it ends; an instance asking for a GPU (or a share of one) starts only where one is free.
/// Thread-safe.
/// </summary>
public sealed class NodeCapacity(double cores, long memoryMb, double gpus = 0)
{
    private readonly object _gate = new();
    private double _cores;
    private long _memoryMb;
    private double _gpus;

    /// <summary>The node's cores.</summary>
    public double Cores { get; } = cores;

    /// <summary>The node's memory for instances, MiB.</summary>
    public long MemoryMb { get; } = memoryMb;

    /// <summary>The node's GPUs.</summary>
    public double Gpus { get; } = gpus;

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
    public bool TryReserve(double cores, long memoryMb, double gpus, out string? shortOf)
    {
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

            if (gpus > 0 && _gpus + gpus > Gpus + 1e-9)
            {
                shortOf = Gpus == 0
                    ? $"gpus: this node has none, {gpus:0.##} asked (resources.gpu)"
                    : $"gpus: {_gpus:0.##} of {Gpus:0.##} reserved, {gpus:0.##} more asked";
                return false;
            }

            _cores += cores;
            _memoryMb += memoryMb;
            _gpus += gpus;
            shortOf = null;
            return true;
        }
    }

    /// <summary>Gives back what <see cref="TryReserve"/> took.</summary>
    public void Release(double cores, long memoryMb, double gpus)
    {
        lock (_gate)
        {
            _cores = Math.Max(0, _cores - cores);
            _memoryMb = Math.Max(0, _memoryMb - memoryMb);
            _gpus = Math.Max(0, _gpus - gpus);
        }
    }

    /// <summary>How many more instances of this size fit now.</summary>
    public int Room(double cores, long memoryMb, double gpus)
    {
        lock (_gate)
        {
            double byCores = cores <= 0 ? int.MaxValue : Math.Floor((Cores - _cores + 1e-9) / cores);
            double byMemory = memoryMb <= 0 ? int.MaxValue : Math.Floor((double)(MemoryMb - _memoryMb) / memoryMb);
            double byGpus = gpus <= 0 ? int.MaxValue : Math.Floor((Gpus - _gpus + 1e-9) / gpus);
            return (int)Math.Max(0, Math.Min(Math.Min(byCores, byMemory), Math.Min(byGpus, int.MaxValue)));
        }
    }
}
