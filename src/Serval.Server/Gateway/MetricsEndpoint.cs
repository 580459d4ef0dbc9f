using Serval.Server.Monitoring;

namespace Serval.Server.Gateway;

/// <summary><c>GET /metrics</c>: Prometheus text format, names prefixed <c>serval_</c>.</summary>
public static class MetricsEndpoint
{
    /// <summary>Maps it.</summary>
    public static void MapMetrics(this IEndpointRouteBuilder app) =>
        app.MapGet("/metrics", async (HttpContext context, Metrics metrics, ScrapeGauges gauges) =>
        {
            await gauges.UpdateAsync().ConfigureAwait(false);
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await metrics.WriteAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        });
}
