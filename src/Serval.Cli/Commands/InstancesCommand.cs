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
            string scaling = await ScalingLineAsync(client, fn, ct);
            if (instances.Count == 0)
            {
                host.Console.MarkupLine($"[dim]{Markup.Escape(fn)} has no instances: one starts on the next request[/]");
                host.Console.MarkupLine($"[dim]{Markup.Escape(scaling)}[/]");
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
            host.Console.MarkupLine($"[dim]{Markup.Escape(scaling)}[/]");
            return 0;
        });
        return command;
    }

    /// <summary>"min 2 (schedule '0 8 * * *') · max 3 · desired 2 · next: 0 at 2026-11-23 22:00 UTC", from GET .../scaling.</summary>
    private static async Task<string> ScalingLineAsync(ServalClient client, string fn, CancellationToken ct)
    {
        var s = await FunctionGet.JsonAsync(client, fn, "scaling", ct);
        string line = $"min {JsonFields.Text(s, "min")} ({JsonFields.Text(s, "minSource")}) · max {JsonFields.Text(s, "max")}";
        if (JsonFields.Text(s, "desired") is { } desired && desired != JsonFields.Missing)
        {
            line += $" · desired {desired}";
        }

        if (JsonFields.Text(s, "queued") is { } queued && queued != JsonFields.Missing && queued != "0")
        {
            line += $" · {queued} queued";
        }

        if (s.TryGetProperty("nextChange", out var next) && next.ValueKind == System.Text.Json.JsonValueKind.Object)
        {
            line += $" · next: {JsonFields.Text(next, "text")}";
        }

        return line;
    }
}
