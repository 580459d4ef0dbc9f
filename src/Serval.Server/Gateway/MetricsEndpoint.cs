using Serval.Node.Instances;
using Serval.Server.Dispatch;
using Serval.Server.Monitoring;

namespace Serval.Server.Gateway;

/// <summary><c>GET /metrics</c>: Prometheus text format, names prefixed <c>serval_</c>.</summary>
public static class MetricsEndpoint
{
    /// <summary>Maps it.</summary>
    public static void MapMetrics(this IEndpointRouteBuilder app) =>
        app.MapGet("/metrics", (Metrics metrics, InstanceSupervisor supervisor, Dispatcher dispatcher) =>
        {
            var gauges = new List<(string, string, string, double)>();
            foreach (var group in supervisor.Instances
                .Where(i => !i.Id.StartsWith("check-", StringComparison.Ordinal))
                .GroupBy(i => (i.Config.Function, i.Config.Version, i.State)))
            {
                gauges.Add(("serval_instances", "Instances by state.", Metrics.Labels(group.Key.Function, group.Key.Version, ("state", group.Key.State.ToString())), group.Count()));
            }

            foreach (VersionPool pool in dispatcher.Pools)
            {
                PoolSnapshot s = pool.Peek();
                string labels = Metrics.Labels(pool.Version.Function, pool.Version.Version);
                gauges.Add(("serval_queued", "Requests waiting for a free instance slot.", labels, s.Queued));
                gauges.Add(("serval_in_flight", "Invocations running.", labels, s.InFlight));
            }

            gauges.Add(("serval_node_cores_reserved", "Cores reserved by instances on this node.", "", supervisor.Capacity.ReservedCores));
            gauges.Add(("serval_node_cores", "Cores this node offers to instances.", "", supervisor.Capacity.Cores));
            gauges.Add(("serval_node_memory_reserved_bytes", "Memory reserved by instances on this node.", "", supervisor.Capacity.ReservedMemoryMb * 1048576.0));
            gauges.Add(("serval_node_memory_bytes", "Memory this node offers to instances.", "", supervisor.Capacity.MemoryMb * 1048576.0));
            return Results.Text(metrics.Render(gauges), "text/plain; version=0.0.4; charset=utf-8");
        });
}
