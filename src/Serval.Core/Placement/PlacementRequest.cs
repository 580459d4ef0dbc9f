namespace Serval.Core.Placement;

/// <summary>What one more instance of a version needs from a node.</summary>
/// <param name="Version">The version key, <c>name:version</c>.</param>
/// <param name="Cores">Cores it reserves (<c>resources.cpu</c>).</param>
/// <param name="MemoryMb">Memory it reserves, MiB (<c>resources.memory</c>, or the model profile's resident memory where that is larger).</param>
/// <param name="Gpus">GPUs: a share of one device below 1, whole devices from 1 (<c>resources.gpu</c>).</param>
/// <param name="GpuMemoryMb">GPU memory it needs on each of its devices, MiB (0: any).</param>
/// <param name="Nodes">The only nodes it may run on (<c>placement.nodes</c>); empty for any.</param>
/// <param name="Labels">Labels a node must carry with these values (<c>placement.labels</c>).</param>
public sealed record PlacementRequest(
    string Version,
    double Cores,
    long MemoryMb,
    double Gpus,
    long GpuMemoryMb,
    IReadOnlyList<string> Nodes,
    IReadOnlyDictionary<string, string> Labels);

/// <summary>The scheduler's answer: a node (and its GPU devices), or why none fits.</summary>
/// <param name="Node">The chosen node; null when none fits.</param>
/// <param name="Devices">The GPU devices on it (empty for a CPU instance).</param>
/// <param name="Reason">Why no node fits, naming each one's shortfall; null when placed.</param>
public sealed record PlacementChoice(string? Node, IReadOnlyList<int> Devices, string? Reason)
{
    /// <summary>Whether a node was chosen.</summary>
    public bool Placed => Node is not null;
}
