namespace Serval.Node.Instances;

/// <summary>
/// Finds <c>serval-instance.dll</c>: <c>SERVAL_INSTANCE_HOST</c>; beside the platform; else the
/// repository's build output for the platform's own configuration (Release or Debug).
/// </summary>
public static class InstanceHostLocator
{
    /// <summary>The path, or an exception saying how to provide it.</summary>
    public static string Find()
    {
        string? configured = Environment.GetEnvironmentVariable("SERVAL_INSTANCE_HOST");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured) ? configured : throw new FileNotFoundException($"SERVAL_INSTANCE_HOST points at '{configured}', which does not exist");
        }

        string beside = Path.Combine(AppContext.BaseDirectory, "serval-instance.dll");
        if (File.Exists(beside))
        {
            return beside;
        }

        string configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            foreach (string config in new[] { configuration, configuration == "Release" ? "Debug" : "Release" })
            {
                string candidate = Path.Combine(dir.FullName, "src/Serval.Instance/bin", config, "net10.0/serval-instance.dll");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException("cannot find serval-instance.dll: build src/Serval.Instance or set SERVAL_INSTANCE_HOST");
    }
}
