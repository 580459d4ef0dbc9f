using System.CommandLine;
using System.Globalization;
using Serval.Cli.Output;
using Serval.Core.Security;
using Spectre.Console;

namespace Serval.Cli.Commands;

/// <summary><c>audit [--since 1h|TIME] [--limit N]</c>: control-plane actions and refusals, oldest first (GET /v1/audit, admin).</summary>
internal static class AuditCommand
{
    public static Command Create(CliHost host)
    {
        var since = new Option<string?>("--since") { Description = "from this long ago (1h, 30m, 7d) or this time (2026-12-04T17:00:00Z)", HelpName = "WHEN" };
        var limit = new Option<int>("--limit") { Description = "at most this many, the latest (1-1000)", DefaultValueFactory = _ => 50, HelpName = "N" };
        var command = new Command("audit", "show the audit log: deploys, deletes, key changes and refused control-plane calls") { since, limit };
        command.SetAction(async (parse, ct) =>
        {
            var query = new List<string> { $"limit={parse.GetValue(limit)}" };
            if (parse.GetValue(since) is { } when)
            {
                DateTimeOffset from = KeyLifetime.TryParse(when, out TimeSpan ago) ? host.Time.GetUtcNow() - ago
                    : DateTimeOffset.TryParse(when, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at) ? at
                    : throw new CliException($"--since: '{when}' is neither a duration (1h, 30m, 7d) nor a time (2026-12-04T17:00:00Z)");
                query.Add("since=" + Uri.EscapeDataString(from.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)));
            }

            using var client = host.Connect(parse);
            var records = JsonFields.List(await client.GetJsonAsync("v1/audit?" + string.Join("&", query), ct), "records").ToList();
            if (records.Count == 0)
            {
                host.Console.WriteLine("no audit records");
                return 0;
            }

            var table = Tables.Create("time", "key", "action", "target", "status", "outcome");
            foreach (var record in records)
            {
                string time = record.TryGetProperty("at", out var at) && at.TryGetDateTimeOffset(out var t)
                    ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
                    : JsonFields.Missing;
                table.AddTextRow(time, JsonFields.Text(record, "key"), JsonFields.Text(record, "action"), JsonFields.Text(record, "target"),
                    JsonFields.Text(record, "status"), JsonFields.Text(record, "outcome"));
            }

            host.Console.Write(table);
            return 0;
        });
        return command;
    }
}
