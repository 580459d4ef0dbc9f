namespace Serval.Core.Specs;

/// <summary>Paths of files inside a function package: relative to <c>serval.yaml</c>, '/' between folders.</summary>
public static class PackagePaths
{
    /// <summary>
    /// Checks that <paramref name="path"/> names a file inside the package and normalises it
    /// (<c>./models//rec.onnx</c> → <c>models/rec.onnx</c>). Returns null when it does, else what
    /// is wrong ("must be relative to serval.yaml, not absolute").
    /// </summary>
    public static string? Check(string path, out string normalized)
    {
        normalized = "";
        if (path.Any(char.IsControl))
        {
            return "must not contain control characters";
        }

        if (path.Contains('\\'))
        {
            return "must use '/' between folders, not '\\'";
        }

        if (path.StartsWith('/') || path.StartsWith('~') || (path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':'))
        {
            return "must be relative to serval.yaml, not absolute";
        }

        var segments = path.Split('/').Where(s => s is not ("" or ".")).ToArray();
        if (segments.Contains(".."))
        {
            return "must stay inside the package (no '..')";
        }

        if (segments.Length == 0)
        {
            return "must name a file";
        }

        normalized = string.Join('/', segments);
        return null;
    }
}
