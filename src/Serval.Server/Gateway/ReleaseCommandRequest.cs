using System.Text.Json;

namespace Serval.Server.Gateway;

/// <summary>A <c>POST /v1/functions/{name}/release</c> body, validated: every error names the field.</summary>
/// <param name="Promote">True for <c>promote</c>, false for <c>rollback</c>.</param>
/// <param name="To">The version a rollback goes to, or null.</param>
public sealed record ReleaseCommandRequest(bool Promote, int? To)
{
    private const string Example = "{\"action\": \"promote\"} or {\"action\": \"rollback\", \"to\": 3}";

    /// <summary>The command in <paramref name="body"/>, or the 400 message.</summary>
    public static (ReleaseCommandRequest? Request, string? Error) Read(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return (null, $"a release command is a JSON object: {Example}");
        }

        foreach (JsonProperty property in body.EnumerateObject())
        {
            if (property.Name is not ("action" or "to"))
            {
                return (null, $"unknown field '{property.Name}': a release command has 'action' and, for a rollback, 'to'");
            }
        }

        if (!body.TryGetProperty("action", out JsonElement action) || action.ValueKind != JsonValueKind.String)
        {
            return (null, $"action: required, 'promote' or 'rollback': {Example}");
        }

        bool promote;
        switch (action.GetString())
        {
            case "promote":
                promote = true;
                break;
            case "rollback":
                promote = false;
                break;
            default:
                return (null, $"action: '{action.GetString()}' is not a release command: 'promote' or 'rollback'");
        }

        if (!body.TryGetProperty("to", out JsonElement to) || to.ValueKind == JsonValueKind.Null)
        {
            return (new ReleaseCommandRequest(promote, null), null);
        }

        if (promote)
        {
            return (null, "to: only a rollback goes to a version; a promotion goes to the release's new version");
        }

        if (to.ValueKind != JsonValueKind.Number || !to.TryGetInt32(out int version) || version < 1)
        {
            return (null, $"to: a version number (1, 2, ...), got {to.GetRawText()}");
        }

        return (new ReleaseCommandRequest(false, version), null);
    }
}
