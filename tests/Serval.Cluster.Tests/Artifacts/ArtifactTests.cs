using System.Security.Cryptography;
using NATS.Client.ObjectStore;
using Serval.Cluster.Artifacts;
using Serval.Cluster.Connection;
using Serval.Cluster.Tests.Support;

namespace Serval.Cluster.Tests.Artifacts;

/// <summary>Artifacts in a real R3 object store, fetched into each node's cache once, digest checked.</summary>
public sealed class ArtifactTests(LocalNats nats) : IClassFixture<LocalNats>, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"serval-cache-{Guid.NewGuid():N}"[..26]);

    private async Task<(ArtifactStore Store, INatsObjStore Objects)> StoreAsync()
    {
        ClusterConnection connection = await nats.ConnectAsync();
        INatsObjStore objects = await Buckets.ObjectsAsync(connection, $"blobs-{Guid.NewGuid():N}"[..18], replicas: 3);
        return (new ArtifactStore(objects), objects);
    }

    private static (string Digest, byte[] Bytes) Blob(int size, int seed)
    {
        byte[] bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return ("sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)), bytes);
    }

    [Fact]
    public async Task Each_node_fetches_an_artifact_once_however_many_instances_ask()
    {
        (ArtifactStore store, _) = await StoreAsync();
        (string digest, byte[] bytes) = Blob(3 << 20, 1); // 3 MiB: several 128 KB chunks
        await store.PutAsync(digest, new MemoryStream(bytes), default);
        await store.PutAsync(digest, new MemoryStream(bytes), default); // stored once

        var nodeA = new ArtifactCache(Path.Combine(_root, "a"), store);
        var nodeB = new ArtifactCache(Path.Combine(_root, "b"), store);
        string[] pathsA = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => nodeA.EnsureAsync(digest, default)));
        string pathB = await nodeB.EnsureAsync(digest, default);
        await nodeA.EnsureAsync(digest, default);

        Assert.Equal((1, 1), (nodeA.Downloads, nodeB.Downloads));
        Assert.Single(pathsA.Distinct());
        Assert.Equal(bytes, await File.ReadAllBytesAsync(pathsA[0]));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(pathB));
    }

    [Fact]
    public async Task An_object_whose_bytes_do_not_match_its_digest_is_refused_and_nothing_is_kept()
    {
        (ArtifactStore store, INatsObjStore objects) = await StoreAsync();
        (string digest, _) = Blob(1000, 2);
        (_, byte[] other) = Blob(1000, 3);
        await objects.PutAsync(ArtifactStore.NameOf(digest), other); // a corrupted or forged object
        var cache = new ArtifactCache(Path.Combine(_root, "c"), store);

        var refused = await Assert.ThrowsAsync<ArtifactException>(() => cache.EnsureAsync(digest, default));

        Assert.Contains($"artifact {digest} fetched from the cluster is sha256:{Convert.ToHexStringLower(SHA256.HashData(other))}", refused.Message);
        Assert.False(File.Exists(cache.PathOf(digest)));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, "c"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_missing_artifact_is_named()
    {
        (ArtifactStore store, _) = await StoreAsync();
        (string digest, _) = Blob(10, 4);
        var cache = new ArtifactCache(Path.Combine(_root, "d"), store);

        var missing = await Assert.ThrowsAsync<ArtifactException>(() => cache.EnsureAsync(digest, default));
        Assert.StartsWith($"artifact {digest} is not in the cluster's store", missing.Message);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
