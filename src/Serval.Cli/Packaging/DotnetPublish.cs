using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Serval.Cli.Packaging;

/// <summary>Builds a <c>dotnet</c> function: <c>dotnet publish PROJECT -c Release -o DIR</c>.</summary>
internal static partial class DotnetPublish
{
    /// <summary>Publishes <paramref name="project"/> into <paramref name="outputDir"/>; fails with the first error line.</summary>
    public static async Task RunAsync(string project, string outputDir, CancellationToken ct)
    {
        var start = new ProcessStartInfo(DotnetPath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(project)!,
        };
        // --disable-build-servers: a deploy leaves no compiler or MSBuild daemons running behind it.
        foreach (string arg in new[] { "publish", project, "-c", "Release", "-o", outputDir, "--nologo", "--disable-build-servers" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start) ?? throw new CliException("cannot start dotnet");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        string output = await stdout + "\n" + await stderr;
        if (process.ExitCode != 0)
        {
            string reason = FirstError(output.Split('\n'), Path.GetDirectoryName(project)!)
                ?? $"dotnet publish exited with {process.ExitCode}";
            throw new CliException($"build failed: {reason}");
        }
    }

    /// <summary>
    /// The first compiler error (<c>error CS1002</c>), else the first other error line, shortened:
    /// <c>/src/fn/Handler.cs(3,5): error CS1002: ; expected [/src/fn/fn.csproj]</c> with folder
    /// <c>/src/fn</c> → <c>Handler.cs(3,5): error CS1002: ; expected</c>.
    /// </summary>
    public static string? FirstError(IEnumerable<string> lines, string folder)
    {
        string? first = null;
        foreach (string raw in lines)
        {
            string line = raw.Trim();
            if (CompilerError().IsMatch(line))
            {
                return Shorten(line, folder);
            }

            if (first is null && OtherError().IsMatch(line))
            {
                first = Shorten(line, folder);
            }
        }

        return first;
    }

    private static string Shorten(string line, string folder)
    {
        line = ProjectSuffix().Replace(line, "");
        string prefix = folder.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        return line.StartsWith(prefix, StringComparison.Ordinal) ? line[prefix.Length..] : line;
    }

    // The dotnet that runs this CLI (dotnet serval-cli.dll), else the one on PATH.
    private static string DotnetPath()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        string? self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }

    [GeneratedRegex(@"\berror CS\d{4}\b")]
    private static partial Regex CompilerError();

    [GeneratedRegex(@"\berror [A-Z]+\d+\b|^error\b|: error\b")]
    private static partial Regex OtherError();

    [GeneratedRegex(@"\s+\[[^\]]+\.csproj\]$")]
    private static partial Regex ProjectSuffix();
}
