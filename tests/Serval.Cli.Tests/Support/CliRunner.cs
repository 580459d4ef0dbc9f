namespace Serval.Cli.Tests.Support;

/// <summary>One run of the CLI in this process: its exit code and what it wrote.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error);

internal static class CliRunner
{
    public static async Task<CliRun> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await Program.RunAsync(args, output, error);
        return new CliRun(code, output.ToString(), error.ToString());
    }
}
