using System.Text.Json;
using System.Text.Json.Serialization;
using Serval.Core.Alerts;
using Serval.Core.Specs;
using Serval.Server.Alerts;

namespace Serval.Server.Gateway;

/// <summary>
/// <c>GET /v1/alerts</c>: the rules, the alerts pending or firing now, and the recently resolved
/// ones (newest first), as <c>{"rules": [...], "active": [...], "recent": [...], "webhooks": N}</c>.
/// </summary>
public static class AlertEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Maps it.</summary>
    public static void MapAlerts(this IEndpointRouteBuilder app) =>
        app.MapGet("/v1/alerts", (AlertLoop loop, AlertConfig config) =>
        {
            var (active, recent) = loop.Snapshot();
            var rules = config.Rules.Select(r => new RuleView(r.Name, r.Signal.Name(), r.Functions.Text, r.Above,
                r.Signal == AlertSignal.QueueAge ? null : SpecUnits.FormatDuration(r.Window), SpecUnits.FormatDuration(r.For),
                r.Signal.PerRequest() ? r.MinRequests : null));
            // Webhook URLs may carry tokens: only how many there are is shown.
            return Results.Json(new { rules, active, recent, webhooks = config.Webhooks.Count, interval = SpecUnits.FormatDuration(config.Interval) }, Json);
        });

    private sealed record RuleView(string Name, string Signal, string Functions, double Above, string? Window, string For, int? MinRequests);
}
