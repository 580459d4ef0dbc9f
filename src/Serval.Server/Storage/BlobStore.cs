using System.Security.Cryptography;

namespace Serval.Server.Storage;

/// <summary>
/// Content-addressed files: a blob's name is the sha256 of its bytes, so storing the same model twice
/// costs nothing and a digest names exactly one content. Written to a temporary file, then renamed.
/// </summary>
public sealed class BlobStore
{
    private readonly string _root;

    /// <summary>Opens (creating) the store under <paramref name="root"/>.</summary>
    public BlobStore(string root)
    {
        _root = root;
        Directory.CreateDirectory(Path.Combine(root, "tmp"));
    }

    /// <summary>Where the blob with <paramref name="digest"/> ("sha256:...") lives.</summary>
    public string PathOf(string digest)
    {
        string hex = digest.StartsWith("sha256:", StringComparison.Ordinal) ? digest[7..] : digest;
        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException($"'{digest}' is not a sha256 digest", nameof(digest));
        }

        return Path.Combine(_root, hex[..2], hex[2..]);
    }

    /// <summary>Stores <paramref name="content"/> and returns its digest and size.</summary>
    public async Task<(string Digest, long Size)> PutAsync(Stream content, CancellationToken cancellationToken)
    {
        string temp = Path.Combine(_root, "tmp", Guid.NewGuid().ToString("N"));
        long size;
        byte[] hash;
        await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            byte[] buffer = new byte[1 << 16];
            int n;
            size = 0;
            while ((n = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                sha.AppendData(buffer, 0, n);
                await file.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
                size += n;
            }

            hash = sha.GetHashAndReset();
        }

        string digest = "sha256:" + Convert.ToHexStringLower(hash);
        string final = PathOf(digest);
        Directory.CreateDirectory(Path.GetDirectoryName(final)!);
        if (File.Exists(final))
        {
            File.Delete(temp);
        }
        else
        {
            File.Move(temp, final, overwrite: true);
        }

        return (digest, size);
    }
}
