using Serval.Core.Scheduling;
using Microsoft.Extensions.Logging;
using Serval.Cluster.Artifacts;
using Serval.Cluster.Connection;
using Serval.Cluster.Membership;
using Serval.Core.Cluster;
using Serval.Core.Placement;
using Serval.Core.Wire;
using Serval.Node.Instances;
using Serval.Node.Packages;

namespace Serval.Cluster.Nodes;

/// <summary>
/// The gateway's supervisor places instances through this in a cluster: the package's files go into
/// the cluster's artifact store (once: by digest), the scheduler picks a node, the node starts the
/// instance, and the connection runs through its relay. A node that turns lost or draining has its
/// connections closed at once (<see cref="SweepAsync"/>), so its instances leave the pools before
/// anything else happens to them and their requests not yet sent go elsewhere.
/// </summary>
public sealed class ClusterPlacer(RemoteInstances remote, ArtifactStore store, NodeTable nodes, Func<string, string> localBlob, TimeProvider time, ILogger<ClusterPlacer> logger) : IInstancePlacer
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, PlacedInstance> _placed = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public async Task<PlacedInstance> StartAsync(InstanceConfig config, IReadOnlyList<PackageFile> files, CancellationToken cancellationToken)
    {
        try
        {
            foreach (PackageFile file in files)
            {
                if (!await store.HasAsync(file.Digest, cancellationToken).ConfigureAwait(false))
                {
                    await using FileStream content = File.OpenRead(localBlob(file.Digest));
                    await store.PutAsync(file.Digest, content, cancellationToken).ConfigureAwait(false);
                }
            }

            var request = new PlacementRequest($"{config.Function}:{config.Version}", config.Cores, config.MemoryLimitMb, config.Gpus, 0, [], new Dictionary<string, string>());
            RemoteInstance started = await remote.StartAsync(request, new StartOrder(config.ToJson(), files), cancellationToken).ConfigureAwait(false);
            var placed = new PlacedInstance(started.Node, started.InstanceId, started.Connection);
            _placed[placed.InstanceId] = placed;
            _ = placed.Connection.Completion.ContinueWith(_ => _placed.TryRemove(placed.InstanceId, out PlacedInstance? _), TaskScheduler.Default);
            return placed;
        }
        catch (Exception e) when (e is ClusterException or ArtifactException or IOException)
        {
            // "No node fits" is a lack of room, as on one machine: the next request may find some.
            throw new InstanceStartException(e.Message, noRoom: e.Message.StartsWith("no node", StringComparison.Ordinal));
        }
    }

    /// <inheritdoc/>
    public Task StopAsync(PlacedInstance instance, string reason)
    {
        _placed.TryRemove(instance.InstanceId, out _);
        return remote.StopAsync(new RemoteInstance(instance.Node, instance.InstanceId, instance.Connection), reason, CancellationToken.None);
    }

    /// <summary>Raised once for each instance on a node being drained: the gateway stops it there (in-flight work finishes) and its pool replaces it elsewhere.</summary>
    public event Action<PlacedInstance>? Draining;

    /// <summary>
    /// Closes the connections to instances on lost nodes (nothing on them can answer) and hands those
    /// on draining nodes to <see cref="Draining"/>; returns how many instances left.
    /// </summary>
    public int Sweep()
    {
        var states = nodes.Snapshot().ToDictionary(n => n.Report.Id, n => n.State, StringComparer.Ordinal);
        int left = 0;
        foreach (PlacedInstance placed in _placed.Values)
        {
            NodeState state = states.GetValueOrDefault(placed.Node, NodeState.Lost);
            if (state == NodeState.Ready || !_placed.TryRemove(placed.InstanceId, out _))
            {
                continue;
            }

            logger.LogWarning("node {Node} is {State}: instance {Instance} leaves the routing table", placed.Node, NodeLiveness.Name(state), placed.InstanceId);
            if (state == NodeState.Lost)
            {
                placed.Connection.Close($"node {placed.Node} is lost (no heartbeat for {nodes.LostAfter.TotalSeconds:0.#} s)");
            }
            else
            {
                Draining?.Invoke(placed);
            }

            left++;
        }

        return left;
    }

    /// <summary>Sweeps every <paramref name="interval"/> until cancelled.</summary>
    public async Task SweepAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        await Periodic.RunAsync(
            interval, time, _ => { Sweep(); return Task.CompletedTask; },
            e => logger.LogWarning("node sweep failed: {Error}", e.Message), cancellationToken).ConfigureAwait(false);
    }
}
