using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using Serval.Cli.Api;
using Serval.Cli.Output;
using Serval.Core.Security;
using Spectre.Console;

namespace Serval.Cli.Commands;

/// <summary>
/// <c>keys create | ls | rm</c>: API keys (admin). <c>create</c> prints the new key once, alone on its
/// last line, so <c>./serval keys create ... | tail -1</c> is the key.
/// </summary>
internal static class KeysCommand
{
    public static Command Create(CliHost host)
    {
        var command = new Command("keys", "create, list and remove API keys (needs an admin key)")
        {
            CreateCommand(host),
            ListCommand(host),
            RemoveCommand(host),
        };
        return command;
    }

    private static Command CreateCommand(CliHost host)
    {
        var scope = new Option<string[]>("--scope") { Description = $"what the key may do: {Scopes.Names} (repeat, or comma-separated)", HelpName = "SCOPE", Required = true };
        var function = new Option<string[]>("--function") { Description = "the functions it covers: a name, a prefix (ocr-*, ocr*) or * (repeat, or comma-separated; admin: all)", HelpName = "PATTERN" };
        var label = new Option<string?>("--label") { Description = "what the key is for", HelpName = "TEXT" };
        var expires = new Option<string?>("--expires") { Description = $"how long it lives ({KeyLifetime.Examples}; default: for ever)", HelpName = "DURATION" };
        var rpm = new Option<int?>("--rpm") { Description = "requests per minute it may send (default: unlimited)", HelpName = "N" };
        var concurrency = new Option<int?>("--concurrency") { Description = "invocations it may have running at once (default: unlimited)", HelpName = "N" };
        var command = new Command("create", "create a key and print it (once: only its hash is kept)") { scope, function, label, expires, rpm, concurrency };
        command.SetAction(async (parse, ct) =>
        {
            string[] scopes = Split(parse.GetValue(scope));
            foreach (string s in scopes)
            {
                if (Scopes.ParseOne(s) is null)
                {
                    throw new CliException($"--scope: '{s}' is not a scope ({Scopes.Names})");
                }
            }

            string[] functions = Split(parse.GetValue(function));
            foreach (string f in functions)
            {
                if (FunctionPattern.Parse(f).Error is { } error)
                {
                    throw new CliException($"--function: {error}");
                }
            }

            if (parse.GetValue(expires) is { } lifetime && !KeyLifetime.TryParse(lifetime, out _))
            {
                throw new CliException($"--expires: '{lifetime}' is not a lifetime ({KeyLifetime.Examples})");
            }

            var body = new Dictionary<string, object?>
            {
                ["scopes"] = scopes,
                ["functions"] = functions.Length > 0 ? functions : null,
                ["label"] = parse.GetValue(label),
                ["expires"] = parse.GetValue(expires),
                ["rpm"] = parse.GetValue(rpm),
                ["concurrency"] = parse.GetValue(concurrency),
            };
            using var client = host.Connect(parse);
            using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "v1/keys") { Content = JsonContent.Create(body) }, ct);
            await ServalClient.EnsureSuccessAsync(response, ct);
            JsonElement key = await client.ReadJsonAsync(response, ct);
            var now = host.Time.GetUtcNow();
            host.Console.WriteLine($"created key {JsonFields.Text(key, "id")}: {Joined(key, "scopes")} on {Joined(key, "functions")}, expires {Expiry(key, now)}, quota {Quota(key)}");
            host.Console.WriteLine("this is the only time the key is shown; keep it secret (send it with --key or SERVAL_KEY):");
            host.Console.WriteLine(JsonFields.Text(key, "key"));
            return 0;
        });
        return command;
    }

    private static Command ListCommand(CliHost host)
    {
        var command = new Command("ls", "list the keys (never their secrets)");
        command.SetAction(async (parse, ct) =>
        {
            using var client = host.Connect(parse);
            var keys = JsonFields.List(await client.GetJsonAsync("v1/keys", ct), "keys").ToList();
            var now = host.Time.GetUtcNow();
            var table = Tables.Create("id", "label", "scopes", "functions", "created", "expires", "quota");
            foreach (var key in keys)
            {
                table.AddTextRow(
                    JsonFields.Text(key, "id"),
                    JsonFields.Text(key, "label"),
                    Joined(key, "scopes"),
                    Joined(key, "functions"),
                    JsonFields.Ago(key, "created", now),
                    Expiry(key, now),
                    Quota(key));
            }

            host.Console.Write(table);
            return 0;
        });
        return command;
    }

    private static Command RemoveCommand(CliHost host)
    {
        var id = new Argument<string>("id") { Description = "the key's id (keys ls)" };
        var command = new Command("rm", "remove a key: calls with it are refused at once") { id };
        command.SetAction(async (parse, ct) =>
        {
            string keyId = parse.GetValue(id)!;
            using var client = host.Connect(parse);
            using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"v1/keys/{ServalClient.Segment(keyId)}"), ct);
            await ServalClient.EnsureSuccessAsync(response, ct);
            host.Console.WriteLine($"removed key {keyId}");
            return 0;
        });
        return command;
    }

    private static string[] Split(string[]? values) =>
        [.. (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];

    private static string Joined(JsonElement item, string name) =>
        item.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? string.Join(",", list.EnumerateArray().Select(e => e.GetString()))
            : JsonFields.Missing;

    private static string Expiry(JsonElement key, DateTimeOffset now) =>
        key.TryGetProperty("expires", out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var expires)
            ? expires <= now ? "expired" : Formats.Until(expires, now)
            : "never";

    private static string Quota(JsonElement key)
    {
        if (!key.TryGetProperty("quota", out var quota) || quota.ValueKind != JsonValueKind.Object)
        {
            return JsonFields.Missing;
        }

        int? rpm = JsonFields.Count(quota, "rpm") is { } r ? (int)r : null;
        int? concurrency = JsonFields.Count(quota, "concurrency") is { } c ? (int)c : null;
        return new KeyQuota(rpm, concurrency).ToString();
    }
}
