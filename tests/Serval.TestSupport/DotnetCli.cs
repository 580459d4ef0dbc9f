using System.Diagnostics;
namespace Serval.TestSupport;

/// <summary>Publishes function projects the way a deploy does, into temp folders.</summary>
public static class DotnetCli
{
    /// <summary>The configuration the tests were built in (…/bin/Debug/net10.0/ → Debug).</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>
    /// <c>dotnet publish</c> of <paramref name="project"/> (relative to the repository) into a new temp folder.
    /// The test project builds it already, so this only copies (--no-build); a full publish is the fallback.
    /// </summary>
    public static async Task<string> PublishAsync(string project)
    {
        string output = Paths.NewTempDir("serval-pub");
        string path = Path.Combine(Paths.Root, project);
        (int code, string log) = await RunAsync("publish", path, "-c", Configuration, "-o", output, "--no-build", "--nologo", "-v", "quiet");
        if (code != 0)
        {
            (code, log) = await RunAsync("publish", path, "-c", Configuration, "-o", output, "--nologo", "-v", "quiet");
        }

        if (code != 0)
        {
            throw new InvalidOperationException($"dotnet publish {project} failed:\n{log}");
        }

        return output;
    }

    private static async Task<(int Code, string Log)> RunAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Paths.Root,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // The test host runs under MSBuild's environment; a child build must not inherit it.
        foreach (string key in info.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return (process.ExitCode, await stdout + await stderr);
    }
}
