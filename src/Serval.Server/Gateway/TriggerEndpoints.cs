using System.Text.Json;
using Serval.Server.Functions;
using Serval.Server.Triggers;

namespace Serval.Server.Gateway;

/// <summary><c>GET /v1/functions/{name}/triggers</c>: each trigger's cron, payload, last fire and next fire.</summary>
public static class TriggerEndpoints
{
    /// <summary>Maps the endpoint.</summary>
    public static void MapTriggers(this IEndpointRouteBuilder app) =>
        app.MapGet("/v1/functions/{name}/triggers", (string name, FunctionCatalog catalog, TriggerScheduler triggers) =>
            catalog.Functions.TryGetValue(name, out DeployedFunction? f)
                ? Results.Json(Json(triggers.States(f.Stable)))
                : Errors.Result(404, $"no function named '{name}'"));

    /// <summary>The triggers as JSON objects: <c>{index, cron, timezone, payload, lastFire, lastInvocation, nextFire}</c>.</summary>
    public static IEnumerable<object> Json(IReadOnlyList<TriggerState> states) =>
        states.Select(t => new
        {
            index = t.Index,
            cron = t.Cron,
            timezone = t.TimeZone,
            payload = JsonDocument.Parse(t.Payload).RootElement,
            lastFire = t.LastFire?.Scheduled,
            lastInvocation = t.LastFire is { Invocation.Length: > 0 } last ? last.Invocation : null,
            nextFire = t.NextFire,
        });

    /// <summary>The earliest next fire of <paramref name="states"/>, or null.</summary>
    public static DateTimeOffset? Next(IReadOnlyList<TriggerState> states) =>
        states.Where(t => t.NextFire is not null).Select(t => t.NextFire).Min();
}
