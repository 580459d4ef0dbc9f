using NATS.Client.KeyValueStore;
using NATS.Client.ObjectStore;
using Serval.Cluster.Connection;

namespace Serval.Cluster;

/// <summary>
/// The JetStream buckets of a Serval cluster, created on first use with the cluster's replica count
/// (3 for a 3-server cluster: each survives one server lost).
/// </summary>
public static class Buckets
{
    /// <summary>The leader key (<c>controller</c>).</summary>
    public const string Leader = "serval-leader";

    /// <summary>Node heartbeats (<c>hb.ID</c>) and drains (<c>drain.ID</c>).</summary>
    public const string Nodes = "serval-nodes";

    /// <summary>Artifacts, keyed by sha256 hex.</summary>
    public const string Blobs = "serval-blobs";

    /// <summary>Opens (creating) key-value bucket <paramref name="name"/>, keeping <paramref name="history"/> values per key.</summary>
    public static async Task<INatsKVStore> KeyValueAsync(ClusterConnection cluster, string name, int replicas, int history = 1, CancellationToken cancellationToken = default)
    {
        try
        {
            return await cluster.KeyValue.CreateOrUpdateStoreAsync(new NatsKVConfig(name) { NumberOfReplicas = replicas, History = history }, cancellationToken).ConfigureAwait(false);
        }
        catch (NATS.Client.JetStream.NatsJSApiException e)
        {
            throw new ClusterException($"cannot open bucket {name} at R{replicas} on {cluster.Urls}: {e.Error.Description} (code {e.Error.Code}){(e.Error.Code == 503 ? ": the cluster has no quorum" : "")}", e);
        }
    }

    /// <summary>Opens (creating) the object store <paramref name="name"/>.</summary>
    public static async Task<INatsObjStore> ObjectsAsync(ClusterConnection cluster, string name, int replicas, CancellationToken cancellationToken = default)
    {
        try
        {
            return await cluster.Objects.CreateObjectStoreAsync(new NatsObjConfig(name) { NumberOfReplicas = replicas }, cancellationToken).ConfigureAwait(false);
        }
        catch (NATS.Client.JetStream.NatsJSApiException e)
        {
            throw new ClusterException($"cannot open object store {name} at R{replicas} on {cluster.Urls}: {e.Error.Description} (code {e.Error.Code})", e);
        }
    }
}
