using System.Text.Json;
using Serval.Core.Security;
using ScopeNames = Serval.Core.Security.Scopes;

namespace Serval.Server.Gateway;

/// <summary>A key's create request, validated: every error names the field.</summary>
/// <param name="Label">The label (empty when none).</param>
/// <param name="Scopes">Its scopes.</param>
/// <param name="Functions">Its function patterns.</param>
/// <param name="Lifetime">How long it lives; null for ever.</param>
/// <param name="Quota">Its limits.</param>
public sealed record KeyRequest(string Label, Scope Scopes, IReadOnlyList<FunctionPattern> Functions, TimeSpan? Lifetime, KeyQuota Quota)
{
    /// <summary>The request in <paramref name="body"/>, or the 400 message.</summary>
    public static (KeyRequest? Request, string? Error) Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return (null, "a key is created from a JSON object, e.g. {\"scopes\": [\"invoke\"], \"functions\": [\"ocr*\"]}");
        }

        Scope scopes = Scope.None;
        if (!body.TryGetProperty("scopes", out JsonElement scopeList) || scopeList.ValueKind != JsonValueKind.Array || scopeList.GetArrayLength() == 0)
        {
            return (null, $"scopes: give at least one of {ScopeNames.Names}");
        }

        foreach (JsonElement item in scopeList.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || ScopeNames.ParseOne(item.GetString()!) is not { } scope)
            {
                return (null, $"scopes: '{item}' is not a scope (scopes: {ScopeNames.Names})");
            }

            scopes |= scope;
        }

        var functions = new List<FunctionPattern>();
        if (body.TryGetProperty("functions", out JsonElement functionList) && functionList.ValueKind != JsonValueKind.Null)
        {
            if (functionList.ValueKind != JsonValueKind.Array)
            {
                return (null, "functions: a list of names or prefixes (ocr-rec, ocr-*), or [\"*\"] for all");
            }

            foreach (JsonElement item in functionList.EnumerateArray())
            {
                var (pattern, error) = item.ValueKind == JsonValueKind.String ? FunctionPattern.Parse(item.GetString()!) : (null, $"'{item}' is not text");
                if (pattern is null)
                {
                    return (null, $"functions: {error}");
                }

                functions.Add(pattern.Value);
            }
        }

        if (functions.Count == 0)
        {
            if (!scopes.HasFlag(Scope.Admin))
            {
                return (null, "functions: a deploy or invoke key is limited to functions: give names or prefixes (ocr-rec, ocr-*), or [\"*\"] for all");
            }

            functions.Add(FunctionPattern.All);
        }

        string label = Text(body, "label") ?? "";
        if (label.Length > 200)
        {
            return (null, $"label: at most 200 characters, got {label.Length}");
        }

        TimeSpan? lifetime = null;
        if (Text(body, "expires") is { } expires)
        {
            if (!KeyLifetime.TryParse(expires, out TimeSpan parsed))
            {
                return (null, $"expires: '{expires}' is not a lifetime ({KeyLifetime.Examples})");
            }

            lifetime = parsed;
        }

        var (rpm, rpmError) = Limit(body, "rpm");
        var (concurrency, concurrencyError) = Limit(body, "concurrency");
        if ((rpmError ?? concurrencyError) is { } limitError)
        {
            return (null, limitError);
        }

        return (new KeyRequest(label, scopes, functions, lifetime, new KeyQuota(rpm, concurrency)), null);
    }

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static (int? Value, string? Error) Limit(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return (null, null);
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int n) && n is >= 1 and <= 1_000_000
            ? (n, null)
            : (null, $"{name}: a whole number from 1 to 1000000, got {value}");
    }
}
