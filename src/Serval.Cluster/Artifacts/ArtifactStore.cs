using NATS.Client.ObjectStore;

namespace Serval.Cluster.Artifacts;

/// <summary>
/// Deployed files in the cluster: the object store <see cref="Buckets.Blobs"/>, each object named by
/// the sha256 of its bytes (hex), so a file stored twice is stored once and a name is one content.
/// </summary>
public sealed class ArtifactStore(INatsObjStore objects)
{
    /// <summary>The object name of <paramref name="digest"/> (<c>sha256:HEX</c> or HEX).</summary>
    public static string NameOf(string digest)
    {
        string hex = digest.StartsWith("sha256:", StringComparison.Ordinal) ? digest[7..] : digest;
        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException($"'{digest}' is not a sha256 digest", nameof(digest));
        }

        return hex;
    }

    /// <summary>Whether the store holds <paramref name="digest"/>.</summary>
    public async Task<bool> HasAsync(string digest, CancellationToken cancellationToken)
    {
        try
        {
            await objects.GetInfoAsync(NameOf(digest), cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (NatsObjNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Stores <paramref name="content"/> under <paramref name="digest"/> unless it is there already; the caller has checked the digest.</summary>
    public async Task PutAsync(string digest, Stream content, CancellationToken cancellationToken)
    {
        if (!await HasAsync(digest, cancellationToken).ConfigureAwait(false))
        {
            await objects.PutAsync(NameOf(digest), content, leaveOpen: true, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Copies <paramref name="digest"/>'s bytes into <paramref name="destination"/>.</summary>
    public async Task CopyToAsync(string digest, Stream destination, CancellationToken cancellationToken)
    {
        try
        {
            await objects.GetAsync(NameOf(digest), destination, leaveOpen: true, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsObjNotFoundException e)
        {
            throw new ArtifactException($"artifact {digest} is not in the cluster's store {objects.Bucket}", e);
        }
    }
}
