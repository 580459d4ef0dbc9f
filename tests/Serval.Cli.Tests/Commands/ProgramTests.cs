using Serval.Cli.Tests.Support;

namespace Serval.Cli.Tests.Commands;

public class ProgramTests
{
    [Theory]
    [InlineData("ls")]
    [InlineData("versions", "x")]
    [InlineData("instances", "x")]
    [InlineData("rm", "x")]
    [InlineData("release", "x")]
    [InlineData("rollback", "x")]
    public async Task AnyCommand_ConnectionRefused_PrintsOneLine(params string[] args)
    {
        string url = $"http://127.0.0.1:{FakeServal.FreePort()}";

        var run = await CliRunner.RunAsync([.. args, "--url", url]);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"cannot reach Serval at {url}: is it running? (./serval up)\n", run.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Help_ListsEveryCommandIncludingUp()
    {
        var run = await CliRunner.RunAsync("--help");

        Assert.Equal(0, run.ExitCode);
        foreach (string command in new[] { "up", "deploy", "invoke", "ls", "versions", "release", "promote", "rollback", "instances", "rm" })
        {
            Assert.Matches($@"(?m)^\s+{command}\b", run.Output);
        }

        Assert.Contains("handled by ./serval", run.Output);
    }

    [Fact]
    public async Task Up_Run_PointsToTheScript()
    {
        var run = await CliRunner.RunAsync("up", "--port", "9000");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("./serval up", run.Error);
    }

    [Fact]
    public async Task Url_NotHttp_Rejected()
    {
        var run = await CliRunner.RunAsync("ls", "--url", "ftp://x");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("--url: 'ftp://x' is not an http:// or https:// address", run.Error.Trim());
    }

    [Fact]
    public async Task UnknownCommand_FailsWithReason()
    {
        var run = await CliRunner.RunAsync("deplyo", "x");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("deplyo", run.Error);
    }
}
