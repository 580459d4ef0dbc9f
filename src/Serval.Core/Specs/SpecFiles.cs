namespace Serval.Core.Specs;

/// <summary>Checks a parsed spec against the files of its package.</summary>
public static class SpecFiles
{
    private const int MaxListed = 8;

    /// <summary>
    /// One error for each model file the spec names (<see cref="FunctionSpec.ModelFiles"/>) that
    /// <paramref name="fileExists"/> does not find, at the line of the key that names it. Pass the
    /// package's file list as <paramref name="packageFiles"/> for a better hint: the near name the
    /// user likely meant, or the model files the package does have.
    /// </summary>
    /// <param name="spec">The spec, parsed by <see cref="SpecParser.Parse"/>.</param>
    /// <param name="fileName">The spec's file name, as errors show it.</param>
    /// <param name="fileExists">Whether the package holds a path (relative, '/' between folders).</param>
    /// <param name="packageFiles">The package's paths, for the hint; optional.</param>
    public static IReadOnlyList<SpecError> Check(
        FunctionSpec spec, string fileName, Func<string, bool> fileExists, IReadOnlyCollection<string>? packageFiles = null)
    {
        var errors = new List<SpecError>();
        foreach (var (field, path) in spec.ModelFiles())
        {
            if (!fileExists(path))
            {
                errors.Add(new SpecError(fileName, spec.Lines.GetValueOrDefault(field, 1), spec.Columns.GetValueOrDefault(field, 1),
                    field, $"file '{path}' is not in the package", Hint(path, Path.GetFileName(fileName), packageFiles)));
            }
        }

        return errors;
    }

    private static string Hint(string missing, string specName, IReadOnlyCollection<string>? files)
    {
        var relative = $"files are paths relative to {specName}";
        if (files is null)
        {
            return relative;
        }

        if (files.Count == 0)
        {
            return $"{relative}; the package has no files";
        }

        // The same file in another folder, or a one-letter slip ("models/rec.onnx" for "model/rec.onnx");
        // two letters already make "rec.onnx" look like "det.onnx".
        var near = files.FirstOrDefault(f => Path.GetFileName(f) == Path.GetFileName(missing)) ?? EditDistance.Nearest(missing, files, maxDistance: 1);
        if (near is not null)
        {
            return $"{relative}; did you mean '{near}'?";
        }

        var models = files.Where(f => f.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToList();
        var listed = models.Count > 0 ? models : files.Order(StringComparer.Ordinal).ToList();
        var more = listed.Count > MaxListed ? $" and {listed.Count - MaxListed} more" : "";
        var what = models.Count > 0 ? "the package has" : "the package has no .onnx file; it has";
        return $"{relative}; {what}: {string.Join(", ", listed.Take(MaxListed))}{more}";
    }
}
