using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Serval.Cli.Api;
using Spectre.Console;

namespace Serval.Cli.Commands;

/// <summary><c>logs NAME [-f] [--since AGE|TIME]</c>: a function's invocation records and handler lines (GET /v1/functions/NAME/logs).</summary>
internal static class LogsCommand
{
    public static Command Create(CliHost host)
    {
        var name = new Argument<string>("name") { Description = "the function" };
        var follow = new Option<bool>("--follow", "-f") { Description = "keep printing new records as they are written (Ctrl-C ends)" };
        var since = new Option<string?>("--since") { Description = "only records from this age (30s, 10m, 2h, 1d) or time (RFC 3339) on" };
        var command = new Command("logs", "print a function's invocation records and what its handler logged") { name, follow, since };
        command.SetAction(async (parse, ct) =>
        {
            string fn = parse.GetValue(name)!;
            string query = $"?follow={(parse.GetValue(follow) ? "true" : "false")}";
            if (parse.GetValue(since) is { Length: > 0 } s)
            {
                query += "&since=" + Uri.EscapeDataString(s);
            }

            using var client = host.Connect(parse);
            await client.StreamLinesAsync($"v1/functions/{ServalClient.Segment(fn)}/logs{query}", line => host.Console.WriteLine(Format(line)), ct);
            return 0;
        });
        return command;
    }

    /// <summary>One record as a line: time, version, then the invocation's outcome or the handler's text.</summary>
    public static string Format(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement r = document.RootElement;
        string time = r.GetProperty("time").GetDateTimeOffset().ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
        string head = $"{time}  v{r.GetProperty("version").GetInt32()}";
        if (r.GetProperty("kind").GetString() == "log")
        {
            return $"{head}  {r.GetProperty("instance").GetString()}  {r.GetProperty("line").GetString()}";
        }

        string Text(string field) => r.TryGetProperty(field, out JsonElement v) ? v.ToString() : "";
        string line = $"{head}  {Text("id")}  {Text("status")}  {Text("durationMs")} ms (billed {Text("billedMs")} ms)  {Text("memoryMb")} MiB";
        line += r.TryGetProperty("cold", out JsonElement cold) && cold.GetBoolean() ? "  cold" : "";
        line += $"  {Text("instance")}";
        return r.TryGetProperty("error", out JsonElement error) ? $"{line}  error: {error.GetString()}" : line;
    }
}
