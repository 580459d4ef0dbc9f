using Serval.Core.Scheduling;
using Microsoft.Extensions.Logging;
using NATS.Client.KeyValueStore;

namespace Serval.Cluster.Membership;

/// <summary>
/// A node agent's heartbeat: its <see cref="NodeReport"/> put into <see cref="Buckets.Nodes"/> under
/// <c>hb.ID</c> every second. A put that fails (NATS unreachable) is logged and the next one tried:
/// a controller that hears nothing marks the node lost, which is right for a node cut off.
/// </summary>
public sealed class HeartbeatPublisher(INatsKVStore bucket, Func<DateTimeOffset, NodeReport> report, TimeProvider time, ILogger logger)
{
    /// <summary>The key of node <paramref name="id"/>'s heartbeat.</summary>
    public static string KeyOf(string id) => $"hb.{id}";

    /// <summary>Puts one heartbeat.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        NodeReport now = report(time.GetUtcNow());
        await bucket.PutAsync(KeyOf(now.Id), Json.Bytes(now), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Beats every <paramref name="interval"/> until cancelled.</summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        await Periodic.RunAsync(interval, time, TickAsync, e => logger.LogWarning("heartbeat not sent: {Error}", e.Message), cancellationToken, tickFirst: true).ConfigureAwait(false);
    }
}
