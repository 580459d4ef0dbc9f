namespace Serval.Node.Capacity;

/// <summary>
/// What this node can host, and what its instances have reserved: cores and memory, never
/// overcommitted. An instance reserves its <c>resources</c> when it is asked for and gives them back
/// when it ends. Thread-safe.
/// </summary>
public sealed class NodeCapacity(double cores, long memoryMb)
{
    private readonly object _gate = new();
    private double _cores;
    private long _memoryMb;

    /// <summary>The node's cores.</summary>
    public double Cores { get; } = cores;

    /// <summary>The node's memory for instances, MiB.</summary>
    public long MemoryMb { get; } = memoryMb;

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

    /// <summary>The capacity of this machine: every core, and its memory less 1 GiB for the platform itself.</summary>
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

        return new NodeCapacity(Environment.ProcessorCount, Math.Max(256, totalMb - 1024));
    }

    /// <summary>Reserves room for one instance; false (with what is short) when it does not fit.</summary>
    public bool TryReserve(double cores, long memoryMb, out string? shortOf)
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

            _cores += cores;
            _memoryMb += memoryMb;
            shortOf = null;
            return true;
        }
    }

    /// <summary>Gives back what <see cref="TryReserve"/> took.</summary>
    public void Release(double cores, long memoryMb)
    {
        lock (_gate)
        {
            _cores = Math.Max(0, _cores - cores);
            _memoryMb = Math.Max(0, _memoryMb - memoryMb);
        }
    }

    /// <summary>How many more instances of this size fit now.</summary>
    public int Room(double cores, long memoryMb)
    {
        lock (_gate)
        {
            double byCores = cores <= 0 ? int.MaxValue : Math.Floor((Cores - _cores + 1e-9) / cores);
            double byMemory = memoryMb <= 0 ? int.MaxValue : Math.Floor((double)(MemoryMb - _memoryMb) / memoryMb);
            return (int)Math.Max(0, Math.Min(Math.Min(byCores, byMemory), int.MaxValue));
        }
    }
}
