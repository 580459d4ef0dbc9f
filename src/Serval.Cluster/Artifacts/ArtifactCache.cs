using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Serval.Cluster.Artifacts;

/// <summary>
/// A node's local copy of the artifacts its placements need, fetched from the cluster's
/// <see cref="ArtifactStore"/> once (concurrent asks for one digest share one download) and kept
/// under its digest, as the all-in-one blob store lays them out. A download whose sha256 is not its
/// name is refused and nothing of it is kept.
/// </summary>
public sealed class ArtifactCache
{
    private readonly string _root;
    private readonly ArtifactStore _store;
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _fetching = new(StringComparer.Ordinal);
    private int _downloads;

    /// <summary>Opens (creating) the cache under <paramref name="root"/>.</summary>
    public ArtifactCache(string root, ArtifactStore store)
    {
        _root = root;
        _store = store;
        Directory.CreateDirectory(Path.Combine(root, "tmp"));
    }

    /// <summary>Downloads made from the cluster's store since this cache opened.</summary>
    public int Downloads => Volatile.Read(ref _downloads);

    /// <summary>Where the blob <paramref name="digest"/> lives in this cache.</summary>
    public string PathOf(string digest)
    {
        string hex = ArtifactStore.NameOf(digest);
        return Path.Combine(_root, hex[..2], hex[2..]);
    }

    /// <summary>The local path of <paramref name="digest"/>, fetched first when this node lacks it.</summary>
    public async Task<string> EnsureAsync(string digest, CancellationToken cancellationToken)
    {
        string path = PathOf(digest);
        if (File.Exists(path))
        {
            return path;
        }

        Lazy<Task<string>> fetch = _fetching.GetOrAdd(digest, d => new Lazy<Task<string>>(() => FetchAsync(d, path, cancellationToken)));
        try
        {
            return await fetch.Value.ConfigureAwait(false);
        }
        finally
        {
            _fetching.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(digest, fetch));
        }
    }

    private async Task<string> FetchAsync(string digest, string path, CancellationToken cancellationToken)
    {
        // A caller that looked before the last download moved its file into place, and asks after
        // that download left the table, finds the file here instead of downloading it again.
        if (File.Exists(path))
        {
            return path;
        }

        string temp = Path.Combine(_root, "tmp", Guid.NewGuid().ToString("N"));
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, useAsync: true))
            {
                Interlocked.Increment(ref _downloads);
                await _store.CopyToAsync(digest, file, cancellationToken).ConfigureAwait(false);
                file.Position = 0;
                string actual = "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
                string expected = "sha256:" + ArtifactStore.NameOf(digest);
                if (actual != expected)
                {
                    throw new ArtifactException($"artifact {expected} fetched from the cluster is {actual}: its bytes are not the ones deployed, refused (redeploy the function to store it again)");
                }
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Move(temp, path, overwrite: true);
            return path;
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
