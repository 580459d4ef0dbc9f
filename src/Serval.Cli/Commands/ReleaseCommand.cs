using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Serval.Cli.Api;
using Serval.Cli.Output;
using Spectre.Console;

namespace Serval.Cli.Commands;

/// <summary>
/// <c>release NAME</c> (where traffic goes, the release with its step, figures and history, the
/// earlier ones), <c>promote NAME</c> and <c>rollback NAME [--to V]</c> (GET/POST /v1/functions/NAME/release).
/// </summary>
internal static class ReleaseCommand
{
    public static Command Create(CliHost host)
    {
        var name = new Argument<string>("name") { Description = "the function" };
        var command = new Command("release", "show where a function's traffic goes and its release: state, step, figures, history and reasons") { name };
        command.SetAction(async (parse, ct) =>
        {
            using var client = host.Connect(parse);
            Print(host, await FunctionGet.JsonAsync(client, parse.GetValue(name)!, "release", ct), full: true);
            return 0;
        });
        return command;
    }

    public static Command Promote(CliHost host)
    {
        var name = new Argument<string>("name") { Description = "the function" };
        var command = new Command("promote", "move all of a function's traffic to the version its running release moves it to, now") { name };
        command.SetAction((parse, ct) => SendAsync(host, parse, parse.GetValue(name)!, new { action = "promote" }, ct));
        return command;
    }

    public static Command Rollback(CliHost host)
    {
        var name = new Argument<string>("name") { Description = "the function" };
        var to = new Option<int?>("--to") { Description = "the version to serve (default: the one that served before)", HelpName = "V" };
        var command = new Command("rollback", "move all of a function's traffic back one step, now: a running release to its old version, else to the version that served before (or --to V)") { name, to };
        command.SetAction((parse, ct) =>
        {
            int? version = parse.GetValue(to);
            if (version is < 1)
            {
                throw new CliException($"--to: a version number (1, 2, ...), got {version}");
            }

            return SendAsync(host, parse, parse.GetValue(name)!, new Dictionary<string, object?> { ["action"] = "rollback", ["to"] = version }, ct);
        });
        return command;
    }

    private static async Task<int> SendAsync(CliHost host, ParseResult parse, string fn, object body, CancellationToken ct)
    {
        using var client = host.Connect(parse);
        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"v1/functions/{ServalClient.Segment(fn)}/release") { Content = JsonContent.Create(body) }, ct);
        await ServalClient.EnsureSuccessAsync(response, ct);
        Print(host, await client.ReadJsonAsync(response, ct), full: false);
        return 0;
    }

    private static void Print(CliHost host, JsonElement root, bool full)
    {
        var now = host.Time.GetUtcNow();
        string fn = JsonFields.Text(root, "function");
        host.Console.WriteLine($"{fn}: {Serving(root)}, latest v{JsonFields.Text(root, "latest")}");
        if (!root.TryGetProperty("release", out JsonElement release) || release.ValueKind != JsonValueKind.Object)
        {
            host.Console.WriteLine("no release yet: every deploy so far was its first version");
            return;
        }

        host.Console.WriteLine($"release #{JsonFields.Text(release, "id")} ({JsonFields.Text(release, "kind")}) v{JsonFields.Text(release, "from")} → v{JsonFields.Text(release, "to")}: "
            + $"{JsonFields.Text(release, "state")} at {JsonFields.Text(release, "percent")} %, started {JsonFields.Ago(release, "started", now)}");
        host.Console.WriteLine($"  {JsonFields.Text(release, "reason")}");
        if (root.TryGetProperty("now", out JsonElement step) && step.ValueKind == JsonValueKind.Object)
        {
            host.Console.WriteLine($"  now: {JsonFields.Text(step, "reason")}");
            foreach (string side in new[] { "stable", "canary" })
            {
                if (step.TryGetProperty(side, out JsonElement w) && w.ValueKind == JsonValueKind.Object)
                {
                    host.Console.WriteLine($"  v{JsonFields.Text(w, "version")} ({side}): {JsonFields.Text(w, "requests")} requests, {JsonFields.Text(w, "errors")} errors, p99 {JsonFields.Text(w, "p99Ms")} ms");
                }
            }
        }

        if (!full)
        {
            return;
        }

        var history = Tables.Create("when", "action", "share", "reason");
        foreach (JsonElement e in JsonFields.List(release, "history"))
        {
            history.AddTextRow(JsonFields.Ago(e, "at", now), JsonFields.Text(e, "action"), JsonFields.Text(e, "percent") + " %", JsonFields.Text(e, "reason"));
        }

        host.Console.Write(history);
        var past = JsonFields.List(root, "past").ToList();
        if (past.Count == 0)
        {
            return;
        }

        var earlier = Tables.Create("release", "kind", "from", "to", "state", "ended", "reason");
        foreach (JsonElement r in past)
        {
            earlier.AddTextRow("#" + JsonFields.Text(r, "id"), JsonFields.Text(r, "kind"), "v" + JsonFields.Text(r, "from"), "v" + JsonFields.Text(r, "to"),
                JsonFields.Text(r, "state"), JsonFields.Ago(r, "ended", now), JsonFields.Text(r, "reason"));
        }

        host.Console.Write(earlier);
    }

    /// <summary>"prod → v3 90 %, v4 10 % (callers by X-Serval-Bid, bids acme)" or "prod → v4".</summary>
    private static string Serving(JsonElement root)
    {
        if (!root.TryGetProperty("serving", out JsonElement serving) || serving.ValueKind != JsonValueKind.Object)
        {
            return "serving -";
        }

        string alias = JsonFields.Text(serving, "alias");
        if (!serving.TryGetProperty("canary", out JsonElement canary) || canary.ValueKind != JsonValueKind.Number)
        {
            return $"{alias} → v{JsonFields.Text(serving, "stable")}";
        }

        var weights = serving.TryGetProperty("weights", out JsonElement w) && w.ValueKind == JsonValueKind.Object
            ? string.Join(", ", w.EnumerateObject().Select(p => $"v{p.Name} {p.Value.GetRawText()} %"))
            : JsonFields.Missing;
        string bids = serving.TryGetProperty("bids", out JsonElement b) && b.ValueKind == JsonValueKind.Array
            ? ", bids " + string.Join(", ", b.EnumerateArray().Select(x => x.GetString()))
            : "";
        return string.Create(CultureInfo.InvariantCulture, $"{alias} → {weights} (callers by {JsonFields.Text(serving, "sticky")}{bids})");
    }
}
