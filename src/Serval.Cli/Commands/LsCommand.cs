using System.CommandLine;
using Serval.Cli.Output;
using Spectre.Console;

namespace Serval.Cli.Commands;

/// <summary><c>ls</c>: the functions (GET /v1/functions), with when each one's next trigger fires.</summary>
internal static class LsCommand
{
    public static Command Create(CliHost host)
    {
        var command = new Command("ls", "list the functions");
        command.SetAction(async (parse, ct) =>
        {
            using var client = host.Connect(parse);
            var root = await client.GetJsonAsync("v1/functions", ct);
            var functions = JsonFields.List(root, "functions").ToList();
            if (functions.Count == 0)
            {
                host.Console.MarkupLine("[dim]no functions yet: deploy one with ./serval deploy DIR[/]");
                return 0;
            }

            var now = host.Time.GetUtcNow();
            var table = Tables.Create("name", "runtime", "latest", "versions", "instances", "updated", "next trigger");
            foreach (var f in functions)
            {
                table.AddTextRow(
                    JsonFields.Text(f, "name"),
                    JsonFields.Text(f, "runtime"),
                    JsonFields.Text(f, "latestVersion"),
                    JsonFields.Text(f, "versions"),
                    JsonFields.Text(f, "instances"),
                    JsonFields.Ago(f, "updated", now),
                    JsonFields.Until(f, "nextTrigger", now));
            }

            host.Console.Write(table);
            return 0;
        });
        return command;
    }
}
