using System.CommandLine;
using Serval.Cli.Api;
using Serval.Cli.Output;
using Spectre.Console;

namespace Serval.Cli.Commands;

/// <summary><c>versions NAME</c>: a function's versions, newest first (GET /v1/functions/NAME/versions).</summary>
internal static class VersionsCommand
{
    public static Command Create(CliHost host)
    {
        var name = new Argument<string>("name") { Description = "the function" };
        var command = new Command("versions", "list a function's versions") { name };
        command.SetAction(async (parse, ct) =>
        {
            string fn = parse.GetValue(name)!;
            using var client = host.Connect(parse);
            var root = await FunctionGet.JsonAsync(client, fn, "versions", ct);
            var now = host.Time.GetUtcNow();
            var table = Tables.Create("version", "digest", "created", "files", "size");
            foreach (var v in JsonFields.List(root, "versions"))
            {
                string digest = JsonFields.Text(v, "digest");
                table.AddTextRow(
                    JsonFields.Text(v, "version"),
                    digest == JsonFields.Missing ? digest : Formats.ShortDigest(digest),
                    JsonFields.Ago(v, "created", now),
                    JsonFields.Text(v, "files"),
                    JsonFields.TotalSize(v));
            }

            host.Console.Write(table);
            return 0;
        });
        return command;
    }
}
