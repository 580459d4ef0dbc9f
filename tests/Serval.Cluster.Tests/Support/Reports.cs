using Serval.Cluster.Membership;

namespace Serval.Cluster.Tests.Support;

/// <summary>Heartbeats of made-up nodes, as a node agent would send them.</summary>
internal static class Reports
{
    /// <summary>A node's reports, numbered 1, 2, 3... as its agent numbers them.</summary>
    public static Func<DateTimeOffset, NodeReport> Of(string id, double cores = 4, long memoryMb = 8192, GpuReport[]? gpus = null, Dictionary<string, string>? labels = null, double reservedCores = 0)
    {
        long sequence = 0;
        return sent => new NodeReport(
            id, 4000 + id.Length, $"http://127.0.0.1:1/{id}", labels ?? new Dictionary<string, string>(), cores, memoryMb, gpus ?? [],
            reservedCores, 0, [new InstanceReport($"{id}-i1", "rec", 1, "ready", 0)], sent, Interlocked.Increment(ref sequence));
    }
}
