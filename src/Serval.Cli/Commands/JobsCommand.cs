using System.CommandLine;
using Serval.Cli.Output;
using Spectre.Console;

namespace Serval.Cli.Commands;

/// <summary><c>jobs [--function F] [--status S]</c>: asynchronous invocations, newest first (GET /v1/invocations).</summary>
internal static class JobsCommand
{
    public static Command Create(CliHost host)
    {
        var function = new Option<string?>("--function") { Description = "only this function's jobs", HelpName = "NAME" };
        var status = new Option<string?>("--status") { Description = "only jobs in this status: Queued, Running, Succeeded, Failed, Expired, Cancelled", HelpName = "STATUS" };
        var limit = new Option<int>("--limit") { Description = "at most this many (1-1000)", DefaultValueFactory = _ => 20, HelpName = "N" };
        var after = new Option<string?>("--after") { Description = "continue after this job (the listing's last id)", HelpName = "ID" };
        var command = new Command("jobs", "list asynchronous invocations, newest first") { function, status, limit, after };
        command.SetAction(async (parse, ct) =>
        {
            var query = new List<string> { $"limit={parse.GetValue(limit)}" };
            if (parse.GetValue(function) is { } f)
            {
                query.Add($"function={Uri.EscapeDataString(f)}");
            }

            if (parse.GetValue(status) is { } s)
            {
                query.Add($"status={Uri.EscapeDataString(s)}");
            }

            if (parse.GetValue(after) is { } a)
            {
                query.Add($"after={Uri.EscapeDataString(a)}");
            }

            using var client = host.Connect(parse);
            var root = await client.GetJsonAsync("v1/invocations?" + string.Join("&", query), ct);
            var jobs = JsonFields.List(root, "invocations").ToList();
            if (jobs.Count == 0)
            {
                host.Console.MarkupLine("[dim]no jobs: start one with ./serval invoke NAME ... --async[/]");
                return 0;
            }

            var now = host.Time.GetUtcNow();
            var table = Tables.Create("id", "function", "version", "status", "attempts", "created", "reason");
            foreach (var job in jobs)
            {
                table.AddTextRow(
                    JsonFields.Text(job, "id"),
                    JsonFields.Text(job, "function"),
                    JsonFields.Text(job, "version"),
                    JsonFields.Text(job, "status"),
                    JsonFields.Text(job, "attemptCount"),
                    JsonFields.Ago(job, "createdAt", now),
                    JsonFields.Text(job, "reason"));
            }

            host.Console.Write(table);
            if (JsonFields.Text(root, "next") is { } next && next != JsonFields.Missing)
            {
                host.Console.MarkupLine($"[dim]more: ./serval jobs --after {Markup.Escape(next)}[/]");
            }

            return 0;
        });
        return command;
    }
}
