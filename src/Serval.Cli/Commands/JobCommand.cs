using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Serval.Cli.Api;
using Serval.Cli.Output;
using Spectre.Console;

namespace Serval.Cli.Commands;

/// <summary>
/// <c>job ID</c> (status, attempts, deliveries, result), <c>job cancel ID</c>, <c>job wait ID [--timeout 60s]</c>.
/// </summary>
internal static class JobCommand
{
    public static Command Create(CliHost host)
    {
        var id = new Argument<string>("id") { Description = "the job's id (from invoke --async or jobs)" };
        var output = new Option<string?>("--output") { Description = "write the job's result, as it is, to this file", HelpName = "FILE" };
        var command = new Command("job", "show an asynchronous invocation: status, attempts, deliveries, result") { id, output, Cancel(host), Wait(host) };
        command.SetAction(async (parse, ct) =>
        {
            using var client = host.Connect(parse);
            string jobId = parse.GetValue(id)!;
            JsonElement job = await Jobs.GetAsync(client, jobId, ct);
            Show(host, job);
            if (parse.GetValue(output) is { } file)
            {
                await SaveResultAsync(host, client, jobId, file, ct);
            }

            return 0;
        });
        return command;
    }

    private static Command Cancel(CliHost host)
    {
        var id = new Argument<string>("id") { Description = "the job's id" };
        var command = new Command("cancel", "cancel a queued or running job") { id };
        command.SetAction(async (parse, ct) =>
        {
            using var client = host.Connect(parse);
            string jobId = parse.GetValue(id)!;
            using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"v1/invocations/{ServalClient.Segment(jobId)}/cancel"), ct);
            await ServalClient.EnsureSuccessAsync(response, ct);
            JsonElement job = await client.ReadJsonAsync(response, ct);
            host.Console.Write(new Text($"job {jobId}: {Jobs.Status(job)}{Reason(job)}\n"));
            return 0;
        });
        return command;
    }

    private static Command Wait(CliHost host)
    {
        var id = new Argument<string>("id") { Description = "the job's id" };
        var timeout = new Option<string>("--timeout") { Description = "give up after this long: 30s, 5m, 1h (default 60s)", DefaultValueFactory = _ => "60s", HelpName = "DURATION" };
        var command = new Command("wait", "wait until a job ends; exit 0 when it succeeded, 1 otherwise") { id, timeout };
        command.SetAction(async (parse, ct) =>
        {
            string text = parse.GetValue(timeout)!;
            TimeSpan limit = ParseDuration(text) ?? throw new CliException($"--timeout: '{text}' is not a duration like 30s, 5m or 1h");
            using var client = host.Connect(parse);
            string jobId = parse.GetValue(id)!;
            DateTimeOffset deadline = host.Time.GetUtcNow() + limit;
            while (true)
            {
                JsonElement job = await Jobs.GetAsync(client, jobId, ct);
                string status = Jobs.Status(job);
                if (Jobs.Final.Contains(status))
                {
                    Show(host, job);
                    if (status != "Succeeded")
                    {
                        throw new CliException($"job {jobId} {status}{Reason(job)}");
                    }

                    return 0;
                }

                if (host.Time.GetUtcNow() >= deadline)
                {
                    throw new CliException($"job {jobId} is still {status} after {text}");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), host.Time, ct);
            }
        });
        return command;
    }

    /// <summary>The job as lines: status, timing, each attempt and delivery, then the result when small.</summary>
    private static void Show(CliHost host, JsonElement job)
    {
        var now = host.Time.GetUtcNow();
        var facts = Tables.Create("field", "value").HideHeaders();
        foreach (var (label, field) in new[] { ("id", "id"), ("function", "function"), ("version", "version"), ("status", "status"), ("reason", "reason"), ("key", "idempotencyKey") })
        {
            if (JsonFields.Text(job, field) is { } value && value != JsonFields.Missing)
            {
                facts.AddTextRow(label, value);
            }
        }

        facts.AddTextRow("created", JsonFields.Ago(job, "createdAt", now));
        if (JsonFields.Text(job, "endedAt") != JsonFields.Missing)
        {
            facts.AddTextRow("ended", JsonFields.Ago(job, "endedAt", now));
        }

        host.Console.Write(facts);
        var attempts = JsonFields.List(job, "attempts").ToList();
        if (attempts.Count > 0)
        {
            var table = Tables.Create("attempt", "started", "took", "class", "error");
            foreach (var a in attempts)
            {
                table.AddTextRow(JsonFields.Text(a, "n"), JsonFields.Ago(a, "startedAt", now), Took(a), JsonFields.Text(a, "errorClass"), JsonFields.Text(a, "error"));
            }

            host.Console.Write(table);
        }

        var deliveries = JsonFields.List(job, "deliveries").ToList();
        if (deliveries.Count > 0)
        {
            var table = Tables.Create("destination", "kind", "condition", "status", "attempts", "error");
            foreach (var d in deliveries)
            {
                table.AddTextRow(JsonFields.Text(d, "destination"), JsonFields.Text(d, "kind"), JsonFields.Text(d, "condition"), JsonFields.Text(d, "status"), JsonFields.Text(d, "attempts"), JsonFields.Text(d, "error"));
            }

            host.Console.Write(table);
        }

        if (job.TryGetProperty("result", out var result))
        {
            bool binary = JsonFields.Text(job, "resultEncoding") == "base64";
            string shown = binary ? $"({JsonFields.Text(job, "resultSize")} bytes of {JsonFields.Text(job, "resultType")}: save them with --output FILE)"
                : result.ValueKind == JsonValueKind.String ? result.GetString()!
                : JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
            host.Console.Write(new Text(shown + "\n"));
        }
        else if (JsonFields.Text(job, "resultUrl") != JsonFields.Missing)
        {
            host.Console.MarkupLine($"[dim]result: {Markup.Escape(JsonFields.Text(job, "resultSize"))} bytes of {Markup.Escape(JsonFields.Text(job, "resultType"))}: save it with --output FILE[/]");
        }
    }

    private static async Task SaveResultAsync(CliHost host, ServalClient client, string id, string file, CancellationToken ct)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"v1/invocations/{ServalClient.Segment(id)}/result"), ct);
        await ServalClient.EnsureSuccessAsync(response, ct);
        byte[] bytes = await response.Content.ReadAsByteArrayAsync(ct);
        await File.WriteAllBytesAsync(file, bytes, ct);
        host.Console.MarkupLine($"[dim]wrote {bytes.Length} bytes to {Markup.Escape(file)}[/]");
    }

    private static string Took(JsonElement attempt) =>
        attempt.TryGetProperty("startedAt", out var s) && s.TryGetDateTimeOffset(out var started)
        && attempt.TryGetProperty("endedAt", out var e) && e.ValueKind == JsonValueKind.String && e.TryGetDateTimeOffset(out var ended)
            ? $"{(ended - started).TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms"
            : "running";

    private static string Reason(JsonElement job) =>
        JsonFields.Text(job, "reason") is { } reason && reason != JsonFields.Missing ? $": {reason}" : "";

    /// <summary>"90" (seconds), "30s", "5m", "1h", "500ms"; null when it is none of these.</summary>
    internal static TimeSpan? ParseDuration(string text)
    {
        (string number, double scale) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => (text[..^2], 0.001),
            _ when text.EndsWith('s') => (text[..^1], 1),
            _ when text.EndsWith('m') => (text[..^1], 60),
            _ when text.EndsWith('h') => (text[..^1], 3600),
            _ => (text, 1),
        };
        return double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) && value > 0 && value * scale <= 7 * 86400
            ? TimeSpan.FromSeconds(value * scale)
            : null;
    }
}
