namespace Serval.Node.Packages;

/// <summary>A file of a version's package: its path relative to the package root and its content digest.</summary>
/// <param name="Path">Relative path with forward slashes.</param>
/// <param name="Digest">"sha256:..." of the content.</param>
/// <param name="Size">Bytes.</param>
public sealed record PackageFile(string Path, string Digest, long Size)
{
    /// <summary>One "path digest" line per file, in the given order: what a package's identity is hashed from.</summary>
    public static string ListText(IEnumerable<PackageFile> files)
    {
        var text = new System.Text.StringBuilder();
        foreach (PackageFile file in files)
        {
            text.Append(file.Path).Append(' ').Append(file.Digest).Append('\n');
        }

        return text.ToString();
    }
}

/// <summary>
/// Lays out a version's package as a folder on this node, with each file a symbolic link to its
/// content-addressed blob (no copies, so a 100 MB model deployed in ten versions takes 100 MB).
/// A folder is built under a temporary name and renamed into place, so it is either whole or absent.
/// </summary>
public sealed class PackageCache(string root, Func<string, string> blobPath)
{
    /// <summary>The folder of <paramref name="function"/> version <paramref name="version"/>, created if missing.</summary>
    public string Materialize(string function, int version, IReadOnlyList<PackageFile> files)
    {
        // The folder name carries a digest of the file list, so a function removed and deployed again
        // under the same name and number never finds the old content.
        string target = Path.Combine(root, function, $"{version}-{ListDigest(files)}");
        if (Directory.Exists(target))
        {
            return target;
        }

        string staging = target + ".staging-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(staging);
        string stagingFull = Path.GetFullPath(staging) + Path.DirectorySeparatorChar;
        foreach (PackageFile file in files)
        {
            string destination = Path.GetFullPath(Path.Combine(staging, file.Path));
            if (!destination.StartsWith(stagingFull, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"package file '{file.Path}' escapes the package folder");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.CreateSymbolicLink(destination, blobPath(file.Digest));
        }

        try
        {
            Directory.Move(staging, target);
        }
        catch (IOException) when (Directory.Exists(target))
        {
            Directory.Delete(staging, recursive: true); // another caller won the race
        }

        return target;
    }

    private static string ListDigest(IReadOnlyList<PackageFile> files) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(PackageFile.ListText(files))))[..12];

    /// <summary>Removes every version folder of <paramref name="function"/> (the blobs stay).</summary>
    public void Remove(string function)
    {
        string dir = Path.Combine(root, function);
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
