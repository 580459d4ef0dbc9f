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
            new Option<string>("--auth") { Description = "on: every call needs a key; the demo is deployed with the admin key the first start writes to DATA/admin.key (default: off on loopback, on otherwise)" },
        };
        command.SetAction(int (_) => throw new CliException("'up' is handled by the ./serval script: run ./serval up"));
        return command;
    }
}
