namespace Serval.Core.Placement;

/// <summary>
/// A node as the scheduler sees it: what it has, what its instances reserve, its labels and the
/// instances it runs per version (<c>name:version</c>), from its last heartbeat and the placements
/// made since.
/// </summary>
/// <param name="Id">The node's id.</param>
/// <param name="Labels">Its labels (<c>region</c>, <c>accelerator</c>, ...).</param>
/// <param name="Cores">Cores for instances.</param>
/// <param name="MemoryMb">Memory for instances, MiB.</param>
/// <param name="Gpus">Each GPU device.</param>
/// <param name="ReservedCores">Cores reserved now.</param>
/// <param name="ReservedMemoryMb">Memory reserved now, MiB.</param>
/// <param name="Instances">Instances per version key (<c>ocr-rec:3</c>) on it now.</param>
public sealed record NodeOffer(
    string Id,
    IReadOnlyDictionary<string, string> Labels,
    double Cores,
    long MemoryMb,
    IReadOnlyList<GpuOffer> Gpus,
    double ReservedCores,
    long ReservedMemoryMb,
    IReadOnlyDictionary<string, int> Instances);

/// <summary>One GPU device on a node.</summary>
/// <param name="Used">The share in use, 0 (free) to 1 (full).</param>
/// <param name="MemoryMb">Its memory, MiB.</param>
/// <param name="ReservedMemoryMb">Its memory reserved by instances, MiB.</param>
public sealed record GpuOffer(double Used, long MemoryMb, long ReservedMemoryMb);
