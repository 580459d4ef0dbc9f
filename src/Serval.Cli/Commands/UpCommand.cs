using System.CommandLine;

namespace Serval.Cli.Commands;

/// <summary><c>up</c>: listed for help; the <c>./serval</c> script starts the platform itself.</summary>
internal static class UpCommand
{
    public static Command Create()
    {
        var command = new Command("up", "set up, build and start the platform with the demo (handled by ./serval, not by this program)")
        {
            new Option<int>("--port") { Description = "the port to listen on (default 8080)" },
            new Option<string>("--data") { Description = "the data folder (default .serval/)" },
        };
        command.SetAction(int (_) => throw new CliException("'up' is handled by the ./serval script: run ./serval up"));
        return command;
    }
}
