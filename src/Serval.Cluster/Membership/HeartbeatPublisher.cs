using Microsoft.Extensions.Logging;
using NATS.Client.KeyValueStore;

namespace Serval.Cluster.Membership;

/// <summary>
/// A node agent's heartbeat: its <see cref="NodeReport"/> put into <see cref="Buckets.Nodes"/> under
/// <c>hb.ID</c> every second. A put that fails (NATS unreachable) is logged and the next one tried:
/// a controller that hears nothing marks the node lost, which is right for a node cut off.
/// </summary>
public sealed class HeartbeatPublisher(INatsKVStore bucket, Func<DateTimeOffset, long, NodeReport> report, TimeProvider time, ILogger logger)
{
    private long _sequence;

    /// <summary>The key of node <paramref name="id"/>'s heartbeat.</summary>
    public static string KeyOf(string id) => $"hb.{id}";

    /// <summary>Puts one heartbeat.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        NodeReport now = report(time.GetUtcNow(), Interlocked.Increment(ref _sequence));
        await bucket.PutAsync(KeyOf(now.Id), Json.Bytes(now), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Beats every <paramref name="interval"/> until cancelled.</summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                await TickAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("heartbeat not sent: {Error}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }
}
