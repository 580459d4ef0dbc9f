namespace Serval.Cli.Packaging;

/// <summary>One file of a deploy: its path in the package (forward slashes) and where it is here.</summary>
internal sealed record PackageFile(string RelativePath, string FullPath, long Size);

/// <summary>Finds the template and the files a deploy uploads.</summary>
internal static class PackageFiles
{
    public const string SpecName = "serval.yaml";

    /// <summary><c>DIR</c> → DIR/serval.yaml; a file → itself. Returns the template's path and folder.</summary>
    public static (string SpecPath, string Folder) Locate(string path)
    {
        if (Directory.Exists(path))
        {
            string spec = Path.Combine(path, SpecName);
            return File.Exists(spec)
                ? (Path.GetFullPath(spec), Path.GetFullPath(path))
                : throw new CliException($"no {SpecName} in {path}");
        }

        if (File.Exists(path))
        {
            string full = Path.GetFullPath(path);
            return (full, Path.GetDirectoryName(full)!);
        }

        throw new CliException($"no such file or folder: {path}");
    }

    /// <summary>
    /// The files named by <c>model</c> and <c>models</c>, relative to the template's folder. Each
    /// must exist and lie inside the folder (its package path is that relative path).
    /// </summary>
    public static List<PackageFile> ModelFiles(string folder, SpecFile spec)
    {
        var files = new List<PackageFile>();
        foreach (var (field, path, line) in spec.ModelFiles)
        {
            string full = Path.GetFullPath(Path.Combine(folder, path));
            string relative = Path.GetRelativePath(folder, full);
            if (Path.IsPathRooted(relative) || relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new CliException($"{SpecName}:{line}: {field}: '{path}' is outside the function's folder: copy or link the file into it");
            }

            if (!File.Exists(full))
            {
                throw new CliException($"{SpecName}:{line}: {field}: no file '{path}' beside {SpecName}");
            }

            files.Add(new PackageFile(ToPackagePath(relative), full, new FileInfo(full).Length));
        }

        return files;
    }

    /// <summary>Every file under <paramref name="folder"/>, with paths relative to it, in a stable order.</summary>
    public static List<PackageFile> AllFiles(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(full => new PackageFile(ToPackagePath(Path.GetRelativePath(folder, full)), full, new FileInfo(full).Length))
            .OrderBy(f => f.RelativePath, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// The project a <c>dotnet</c> function builds: <c>entry</c> relative to the template, else the
    /// only <c>.csproj</c> beside it.
    /// </summary>
    public static string FindProject(string folder, string? entry)
    {
        if (entry is not null)
        {
            string full = Path.GetFullPath(Path.Combine(folder, entry));
            return File.Exists(full) ? full : throw new CliException($"{SpecName}: entry: no project '{entry}' beside {SpecName}");
        }

        string[] projects = Directory.GetFiles(folder, "*.csproj");
        return projects.Length switch
        {
            1 => projects[0],
            0 => throw new CliException($"no .csproj beside {SpecName}: add one, or name it with entry:"),
            _ => throw new CliException(
                $"several projects beside {SpecName} ({string.Join(", ", projects.Select(Path.GetFileName).Order())}): name one with entry:"),
        };
    }

    /// <summary>Adds the files of <paramref name="extra"/> whose package path is not taken yet.</summary>
    public static List<PackageFile> Merge(List<PackageFile> files, IEnumerable<PackageFile> extra)
    {
        var taken = files.Select(f => f.RelativePath).ToHashSet(StringComparer.Ordinal);
        files.AddRange(extra.Where(f => taken.Add(f.RelativePath)));
        return files;
    }

    private static string ToPackagePath(string relative) => relative.Replace(Path.DirectorySeparatorChar, '/');
}
