using Serval.Cluster.Connection;
using Serval.Cluster.Leadership;
using Serval.Cluster.Membership;
using Serval.Core.Cluster;

namespace Serval.Server.Cluster;

/// <summary><c>GET /v1/nodes</c> and <c>GET /v1/cluster</c>.</summary>
public static class NodeEndpoints
{
    /// <summary>Maps them (in cluster mode; the all-in-one platform answers 404 naming why).</summary>
    public static void MapNodes(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/nodes", (IServiceProvider services) =>
            services.GetService<NodeTable>() is not { } table
                ? NotClustered()
                : Results.Json(table.Snapshot().Select(n => new
                {
                    id = n.Report.Id,
                    state = NodeLiveness.Name(n.State),
                    drain = n.Drain,
                    region = n.Report.Labels.GetValueOrDefault("region"),
                    labels = n.Report.Labels,
                    capacity = new { cores = n.Report.Cores, memoryMb = n.Report.MemoryMb, gpus = n.Report.Gpus.Count },
                    reserved = new { cores = n.Report.ReservedCores, memoryMb = n.Report.ReservedMemoryMb },
                    instances = n.Report.Instances.Select(i => new { id = i.Id, function = i.Function, version = i.Version, state = i.State, inFlight = i.InFlight }),
                    lastHeartbeat = n.Heard,
                    clockSkewSeconds = n.Skew?.TotalSeconds,
                    pid = n.Report.Pid,
                    url = n.Report.Url,
                })));
        app.MapGet("/v1/cluster", (IServiceProvider services, ServalOptions options) =>
            services.GetService<ClusterConnection>() is not { } connection
                ? NotClustered()
                : Results.Json(new
                {
                    roles = options.Cluster.Roles.Order(StringComparer.Ordinal),
                    leader = services.GetService<Leadership>()?.Leader is { Id.Length: > 0 } leader ? new { id = leader.Id, pid = leader.Pid, host = leader.Host } : null,
                    thisControllerLeads = services.GetService<Leadership>()?.IsLeader,
                    nats = connection.Urls.Split(',').Select(url => new { url, connected = connection.Nats.ConnectionState.ToString().ToLowerInvariant() }),
                }));
    }

    private static IResult NotClustered() =>
        Results.Json(new { error = "this platform is not a cluster (start serval-server with --nats URLS, or ./serval up --cluster N)" }, statusCode: StatusCodes.Status404NotFound);
}
