using System.Globalization;
using System.Text.Json;
using Serval.Core.Security;

namespace Serval.Server.Security;

/// <summary>
/// The answers of the access layer, in the platform's error shape (<c>{"error": ...}</c> plus the
/// fields a client acts on): 401 with <c>WWW-Authenticate: Bearer</c>, 403 naming the scope or the
/// function, 429 naming the quota with <c>Retry-After</c>.
/// </summary>
public static class Denials
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the 401 or 403 of <paramref name="decision"/>; <paramref name="tokenGiven"/> adds <c>error="invalid_token"</c> to the challenge (RFC 6750).</summary>
    public static Task WriteAsync(HttpContext context, AccessDecision decision, bool tokenGiven = true)
    {
        var body = new Dictionary<string, object?> { ["error"] = decision.Reason };
        if (decision.Status == 401)
        {
            context.Response.Headers.WWWAuthenticate = tokenGiven ? "Bearer realm=\"serval\", error=\"invalid_token\"" : "Bearer realm=\"serval\"";
        }

        if (decision.MissingScope is { } scope)
        {
            body["scope"] = Scopes.Name(scope);
        }

        if (decision.Function is { } function)
        {
            body["function"] = function;
        }

        return WriteAsync(context, decision.Status, body);
    }

    /// <summary>Writes a quota's 429.</summary>
    public static Task WriteAsync(HttpContext context, QuotaRefusal refusal)
    {
        context.Response.Headers.RetryAfter = refusal.RetryAfter.ToString(CultureInfo.InvariantCulture);
        return WriteAsync(context, 429, new Dictionary<string, object?> { ["error"] = refusal.Message, ["quota"] = refusal.Quota, ["limit"] = refusal.Limit });
    }

    private static async Task WriteAsync(HttpContext context, int status, Dictionary<string, object?> body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body, Json), context.RequestAborted).ConfigureAwait(false);
    }
}
