using System.Diagnostics;

namespace Serval.Bench;

/// <summary>Runs a command line tool to its end.</summary>
public static class Tool
{
    /// <summary>Runs <paramref name="tool"/> and returns its output (stdout, then stderr); throws with both when it fails.</summary>
    public static async Task<string> RunAsync(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(info)!;
        // Both streams at once: a tool that fills one while the other is read to its end would block.
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        string output = await stdout + await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed:\n{output}");
        }

        return output;
    }
}
