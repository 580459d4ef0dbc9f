using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Serval.Cli.Output;
using Spectre.Console;

namespace Serval.Cli.Commands;

/// <summary><c>cost [--since AGE|TIME] [--by function|version|mode]</c>: the bill (GET /v1/cost).</summary>
internal static class CostCommand
{
    public static Command Create(CliHost host)
    {
        var since = new Option<string?>("--since") { Description = "only charges from this age (30m, 1d) or time (RFC 3339) on, rounded down to the minute", HelpName = "WHEN" };
        var by = new Option<string>("--by") { Description = "group by function, version or mode (or several: function,mode)", DefaultValueFactory = _ => "function", HelpName = "DIMENSIONS" };
        var command = new Command("cost", "show what invocations and idle provisioned instances cost, by function, version or mode") { since, by };
        command.SetAction(async (parse, ct) =>
        {
            string query = "?by=" + Uri.EscapeDataString(parse.GetValue(by)!);
            if (parse.GetValue(since) is { Length: > 0 } s)
            {
                query += "&since=" + Uri.EscapeDataString(s);
            }

            using var client = host.Connect(parse);
            JsonElement bill = await client.GetJsonAsync("v1/cost" + query, ct);
            var dimensions = JsonFields.List(bill, "by").Select(d => d.GetString()!).ToList();
            string currency = JsonFields.Text(bill, "currency");
            var table = Tables.Create([.. dimensions, "requests", "billed s", "idle s", "compute", "requests", "idle", $"total {currency}"]);
            foreach (JsonElement row in JsonFields.List(bill, "rows"))
            {
                table.AddTextRow([.. dimensions.Select(d => JsonFields.Text(row, d)), .. Figures(row)]);
            }

            table.AddTextRow([.. dimensions.Select((_, i) => i == 0 ? "total" : ""), .. Figures(bill.GetProperty("total"))]);

            host.Console.Write(table);
            return 0;
        });
        return command;
    }

    private static string[] Figures(JsonElement row) =>
    [
        JsonFields.Text(row, "requests"), Seconds(row, "billedSeconds"), Seconds(row, "idleSeconds"),
        Money(row, "computeCost"), Money(row, "requestCost"), Money(row, "idleCost"), Money(row, "cost"),
    ];

    // Amounts to six decimals: a single call costs millionths.
    private static string Money(JsonElement row, string field) => row.GetProperty(field).GetDecimal().ToString("0.000000", CultureInfo.InvariantCulture);

    private static string Seconds(JsonElement row, string field) => row.GetProperty(field).GetDouble().ToString("0.###", CultureInfo.InvariantCulture);
}
