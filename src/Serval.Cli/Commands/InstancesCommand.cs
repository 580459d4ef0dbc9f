using System.CommandLine;
using Serval.Cli.Api;
using Serval.Cli.Output;
using Spectre.Console;

namespace Serval.Cli.Commands;

/// <summary><c>instances NAME</c>: a function's instances (GET /v1/functions/NAME/instances).</summary>
internal static class InstancesCommand
{
    public static Command Create(CliHost host)
    {
        var name = new Argument<string>("name") { Description = "the function" };
        var command = new Command("instances", "list a function's instances and their states") { name };
        command.SetAction(async (parse, ct) =>
        {
            string fn = parse.GetValue(name)!;
            using var client = host.Connect(parse);
            var root = await FunctionGet.JsonAsync(client, fn, "instances", ct);
            var instances = JsonFields.List(root, "instances").ToList();
            if (instances.Count == 0)
            {
                host.Console.MarkupLine($"[dim]{Markup.Escape(fn)} has no instances: one starts on the next request[/]");
                return 0;
            }

            var now = host.Time.GetUtcNow();
            var table = Tables.Create("id", "version", "state", "reason", "pid", "started", "cold start", "in flight");
            foreach (var i in instances)
            {
                string coldStart = JsonFields.Text(i, "coldStartMs");
                table.AddTextRow(
                    JsonFields.Text(i, "id"),
                    JsonFields.Text(i, "version"),
                    JsonFields.Text(i, "state"),
                    JsonFields.Text(i, "reason"),
                    JsonFields.Text(i, "pid"),
                    JsonFields.Ago(i, "started", now),
                    coldStart == JsonFields.Missing ? coldStart : coldStart + " ms",
                    JsonFields.Text(i, "inFlight"));
            }

            host.Console.Write(table);
            return 0;
        });
        return command;
    }
}
