using Serval.Core.Wire;
using Serval.Node.Packages;

namespace Serval.Node.Instances;

/// <summary>
/// Where instances run when not on this machine: in a cluster, the supervisor of a gateway places
/// each instance on a node agent and holds a connection to it through the node's relay, so the
/// dispatcher, pools and autoscaler above it work as in the all-in-one platform.
/// </summary>
public interface IInstancePlacer
{
    /// <summary>Places and starts an instance of <paramref name="config"/> (its package's <paramref name="files"/>); throws <see cref="InstanceStartException"/> when it cannot.</summary>
    Task<PlacedInstance> StartAsync(InstanceConfig config, IReadOnlyList<PackageFile> files, CancellationToken cancellationToken);

    /// <summary>Stops a placed instance on its node.</summary>
    Task StopAsync(PlacedInstance instance, string reason);
}

/// <summary>An instance on a node: which node, and the connection to it.</summary>
/// <param name="Node">The node's id.</param>
/// <param name="InstanceId">The instance's id.</param>
/// <param name="Connection">The instance protocol through the node's relay.</param>
public sealed record PlacedInstance(string Node, string InstanceId, InstanceConnection Connection);
