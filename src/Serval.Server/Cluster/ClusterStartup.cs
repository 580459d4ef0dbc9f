using System.Net;
using NATS.Client.KeyValueStore;
using Serval.Cluster;
using Serval.Cluster.Artifacts;
using Serval.Cluster.Connection;
using Serval.Cluster.Leadership;
using Serval.Cluster.Membership;
using Serval.Cluster.Nodes;
using Serval.Core.Cluster;
using Serval.Node.Capacity;
using Serval.Node.Instances;
using Serval.Node.Processes;
using Serval.Server.Storage;

namespace Serval.Server.Cluster;

/// <summary>
/// What <c>--nats</c> adds to a process: the connection, the node table, and per role the
/// placer (gateway: instances run on node agents), the election (controller) and a node agent (node).
/// The stores stay this process's own for now: one gateway and controller process serves the API.
/// </summary>
public static class ClusterStartup
{
    /// <summary>Connects (throwing a <see cref="ClusterException"/> that names the URLs when NATS does not answer) and registers the cluster's parts.</summary>
    public static void AddCluster(IServiceCollection services, ServalOptions options, string data)
    {
        ClusterOptions cluster = options.Cluster;
        ClusterConnection connection = ClusterConnection.ConnectAsync(cluster.Nats!, $"serval-{cluster.NodeId}-{Environment.ProcessId}", TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
        INatsKVStore nodes = Buckets.KeyValueAsync(connection, Buckets.Nodes, cluster.Replicas).GetAwaiter().GetResult();
        var store = new ArtifactStore(Buckets.ObjectsAsync(connection, Buckets.Blobs, cluster.Replicas).GetAwaiter().GetResult());
        services.AddSingleton(connection);
        services.AddSingleton(store);
        services.AddSingleton(sp => new NodeTable(nodes, options.Time, sp.GetRequiredService<ILogger<NodeTable>>()));
        if (cluster.Plays("gateway"))
        {
            services.AddSingleton(sp => new RemoteInstances(connection, sp.GetRequiredService<NodeTable>()));
            services.AddSingleton(sp => new ClusterPlacer(
                sp.GetRequiredService<RemoteInstances>(), store, sp.GetRequiredService<NodeTable>(),
                sp.GetRequiredService<BlobStore>().PathOf, options.Time, sp.GetRequiredService<ILogger<ClusterPlacer>>()));
            services.AddSingleton<IInstancePlacer>(sp => sp.GetRequiredService<ClusterPlacer>());
        }

        if (cluster.Plays("controller"))
        {
            INatsKVStore leader = Buckets.KeyValueAsync(connection, Buckets.Leader, cluster.Replicas, CompareAndSet.History).GetAwaiter().GetResult();
            services.AddSingleton(sp => new Leadership(
                leader, new LeaderRecord($"{cluster.NodeId}-{Environment.ProcessId}", Environment.ProcessId, Environment.MachineName),
                LeaseTiming.Default, options.Time, sp.GetRequiredService<ILogger<Leadership>>()));
        }

        if (cluster.Plays("node"))
        {
            services.AddSingleton(sp => new NodeAgent(
                connection, nodes, store,
                new NodeAgentOptions
                {
                    Id = cluster.NodeId,
                    Labels = cluster.Labels,
                    DataDirectory = Path.Combine(data, "node"),
                    Relay = new IPEndPoint(IPAddress.Parse(cluster.RelayHost), cluster.RelayPort),
                },
                options.NodeCapacity ?? NodeCapacity.OfThisMachine(),
                sp.GetRequiredService<IProcessLauncher>(), options.Time, sp.GetRequiredService<ILoggerFactory>()));
        }

        services.AddHostedService<ClusterLoops>();
    }
}
