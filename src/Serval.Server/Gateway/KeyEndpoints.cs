using System.Text.Json;
using Serval.Core.Security;
using Serval.Server.Security;

namespace Serval.Server.Gateway;

/// <summary>
/// <c>/v1/keys</c> (admin): create a key (its text is in this one answer only), list them (never
/// their text), remove one. Body of a create: <c>{"scopes": ["invoke"], "functions": ["ocr*"],
/// "label": "...", "expires": "30d", "rpm": 60, "concurrency": 4}</c>.
/// </summary>
public static class KeyEndpoints
{
    /// <summary>Maps <c>/v1/keys...</c>.</summary>
    public static void MapKeys(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/keys", CreateAsync);
        app.MapGet("/v1/keys", (Keys keys) => Results.Json(keys.All.Select(Json)));
        app.MapDelete("/v1/keys/{id}", (string id, Keys keys, QuotaGate quotas) =>
        {
            if (!keys.Delete(id))
            {
                return Errors.Result(404, $"no key with id '{id}' (serval keys ls lists them)");
            }

            quotas.Forget(id);
            return Results.NoContent();
        });
    }

    /// <summary>A key as the API shows it: everything but its text.</summary>
    public static Dictionary<string, object?> Json(ApiKey key) => new()
    {
        ["id"] = key.Id,
        ["label"] = key.Label,
        ["scopes"] = Scopes.Format(key.Scopes),
        ["functions"] = key.Functions.Select(f => f.Text).ToArray(),
        ["created"] = key.Created,
        ["expires"] = key.Expires,
        ["quota"] = new { rpm = key.Quota.RequestsPerMinute, concurrency = key.Quota.Concurrency },
    };

    private static async Task<IResult> CreateAsync(HttpContext context, Keys keys)
    {
        JsonElement body;
        try
        {
            using JsonDocument document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            body = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return Errors.Result(400, $"a key is created from a JSON object ({{\"scopes\": [\"invoke\"], \"functions\": [\"ocr*\"]}}): {e.Message}");
        }

        var (request, error) = KeyRequest.Read(body);
        if (request is null)
        {
            return Errors.Result(400, error!);
        }

        var (key, text) = keys.Create(request.Label, request.Scopes, request.Functions, request.Lifetime, request.Quota);
        RequestAccess.SetTarget(context, key.Id);
        Dictionary<string, object?> answer = Json(key);
        answer["key"] = text;
        return Results.Json(answer, statusCode: 201);
    }
}
