using Serval.Core.Specs;
using Serval.Core.Wire;
using Serval.Node;

namespace Serval.Server.Deployment;

/// <summary>Derives an instance's start configuration from a version's spec.</summary>
public sealed class InstanceConfigFactory(NodeOptions node)
{
    /// <summary>The config for a new instance of <paramref name="spec"/> version <paramref name="version"/>.</summary>
    public InstanceConfig Create(FunctionSpec spec, int version, string instanceId, string packageDirectory) => new()
    {
        Function = spec.Name,
        Version = version,
        InstanceId = instanceId,
        Runtime = spec.Runtime,
        PackageDirectory = packageDirectory,
        // A short random name: socket paths may hold at most 107 bytes, and names may be 63 characters.
        SocketPath = Path.Combine(node.SocketDirectory, Guid.NewGuid().ToString("N")[..12] + ".sock"),
        Model = spec.Model,
        Models = new Dictionary<string, string>(spec.Models),
        Handler = spec.Handler,
        IntraOpThreads = Math.Max(1, (int)Math.Ceiling(spec.Resources.Cpu)),
        Gpu = spec.Resources.Gpu > 0,
        Gpus = spec.Resources.Gpu,
        Concurrency = spec.Instances.Concurrency,
        Cores = spec.Resources.Cpu,
        MemoryLimitMb = spec.Resources.MemoryMb,
        HungGraceMs = (int)node.HungGrace.TotalMilliseconds,
        // One folder for the node: entries are named by model content, so the deploy check (version 0)
        // warms the cache for every instance of every version that holds the same model.
        GraphCacheDirectory = node.GraphCacheDirectory,
        Batching = spec.Batching,
        Env = new Dictionary<string, string>(spec.Env),
    };
}
