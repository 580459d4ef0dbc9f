namespace Serval.Cluster.Membership;

/// <summary>A node agent's heartbeat: who it is, where it listens, what it has and runs.</summary>
/// <param name="Id">The node's id (unique in the cluster).</param>
/// <param name="Pid">The node agent's OS process id.</param>
/// <param name="Url">Where gateways reach its instances.</param>
/// <param name="Labels">Its labels: <c>region</c>, <c>accelerator</c> and the operator's own.</param>
/// <param name="Cores">Cores for instances.</param>
/// <param name="MemoryMb">Memory for instances, MiB.</param>
/// <param name="Gpus">Each GPU device: its memory and what is reserved on it.</param>
/// <param name="ReservedCores">Cores its instances reserve.</param>
/// <param name="ReservedMemoryMb">Memory its instances reserve, MiB.</param>
/// <param name="Instances">Its instances.</param>
/// <param name="Sent">When it was sent, on the node's clock (compared with the reader's to report skew).</param>
/// <param name="Sequence">1, 2, 3... from the agent's start.</param>
public sealed record NodeReport(
    string Id,
    int Pid,
    string Url,
    IReadOnlyDictionary<string, string> Labels,
    double Cores,
    long MemoryMb,
    IReadOnlyList<GpuReport> Gpus,
    double ReservedCores,
    long ReservedMemoryMb,
    IReadOnlyList<InstanceReport> Instances,
    DateTimeOffset Sent,
    long Sequence);

/// <summary>One GPU device in a heartbeat.</summary>
/// <param name="Used">Its share in use, 0 to 1.</param>
/// <param name="MemoryMb">Its memory, MiB.</param>
/// <param name="ReservedMemoryMb">Memory reserved on it, MiB.</param>
public sealed record GpuReport(double Used, long MemoryMb, long ReservedMemoryMb);

/// <summary>One instance in a heartbeat.</summary>
/// <param name="Id">The instance id.</param>
/// <param name="Function">Its function.</param>
/// <param name="Version">Its version.</param>
/// <param name="State">starting, ready, draining...</param>
/// <param name="InFlight">Invocations it runs now.</param>
public sealed record InstanceReport(string Id, string Function, int Version, string State, int InFlight);
