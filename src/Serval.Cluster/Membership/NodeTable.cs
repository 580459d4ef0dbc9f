using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using NATS.Client.KeyValueStore;
using Serval.Core.Cluster;

namespace Serval.Cluster.Membership;

/// <summary>
/// Every node the cluster has heard from, built from a watch on <see cref="Buckets.Nodes"/>: each
/// heartbeat stamped with the time it arrived on this reader's clock, each drain mark. The state of
/// a node is <see cref="NodeLiveness"/>'s, asked at read time, so a node that goes silent turns lost
/// without any event (a bucket's expiry sends none on nats-server 2.9).
/// </summary>
public sealed class NodeTable(INatsKVStore bucket, TimeProvider time, ILogger logger)
{
    private readonly ConcurrentDictionary<string, (NodeReport Report, DateTimeOffset Heard)> _heard = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _drains = new(StringComparer.Ordinal);

    /// <summary>How long a node may be silent before it is lost.</summary>
    public TimeSpan LostAfter { get; init; } = NodeLiveness.LostAfter;

    /// <summary>Raised (on the watch's thread) for every heartbeat and drain change.</summary>
    public event Action? Changed;

    /// <summary>The key that drains node <paramref name="id"/>.</summary>
    public static string DrainKeyOf(string id) => $"drain.{id}";

    /// <summary>Every node heard from, in id order.</summary>
    public IReadOnlyList<NodeView> Snapshot()
    {
        DateTimeOffset now = time.GetUtcNow();
        return _heard.Values
            .OrderBy(h => h.Report.Id, StringComparer.Ordinal)
            .Select(h =>
            {
                string? drain = _drains.GetValueOrDefault(h.Report.Id);
                return new NodeView(h.Report, h.Heard, NodeLiveness.StateOf(h.Heard, drain is not null, now, LostAfter), NodeLiveness.Skew(h.Report.Sent, h.Heard), drain);
            })
            .ToArray();
    }

    /// <summary>The nodes ready now.</summary>
    public IReadOnlyList<NodeView> Ready() => Snapshot().Where(n => n.State == NodeState.Ready).ToArray();

    /// <summary>
    /// Takes a report a node sent in answer to an order (it carries the reservation just made), so
    /// the next placement sees it without waiting for the next heartbeat.
    /// </summary>
    public void Note(NodeReport report)
    {
        _heard.AddOrUpdate(
            report.Id,
            _ => (report, time.GetUtcNow()),
            (_, known) => report.Sequence > known.Report.Sequence ? (report, time.GetUtcNow()) : known);
        Changed?.Invoke();
    }

    /// <summary>Marks node <paramref name="id"/> draining (<paramref name="reason"/>), or ready again when null.</summary>
    public async Task SetDrainAsync(string id, string? reason, CancellationToken cancellationToken)
    {
        if (reason is null)
        {
            await bucket.DeleteAsync(DrainKeyOf(id), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await bucket.PutAsync(DrainKeyOf(id), System.Text.Encoding.UTF8.GetBytes(reason), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Watches the bucket until cancelled, resuming after errors (a reconnect, a server lost).</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // What the bucket held before the watch began arrives first; it may be old.
                ulong before = (await bucket.GetStatusAsync(cancellationToken).ConfigureAwait(false)).Info.State.LastSeq;
                await foreach (NatsKVEntry<byte[]> entry in bucket.WatchAsync<byte[]>(cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    Apply(entry, old: entry.Revision <= before);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("node watch interrupted, resuming: {Error}", e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void Apply(NatsKVEntry<byte[]> entry, bool old)
    {
        bool removed = entry.Operation is NatsKVOperation.Del or NatsKVOperation.Purge;
        if (entry.Key.StartsWith("hb.", StringComparison.Ordinal))
        {
            if (removed)
            {
                _heard.TryRemove(entry.Key[3..], out _);
            }
            else if (Json.Read<NodeReport>(entry.Value) is { } report && !(_heard.TryGetValue(report.Id, out var known) && known.Report.Sequence > report.Sequence && known.Report.Pid == report.Pid))
            {
                // A heartbeat stored before the watch began may be a node long dead: the server's
                // stamp says how old it is (off by the server's clock error, and corrected by the
                // node's next beat). One that arrives live is stamped with this reader's clock.
                DateTimeOffset now = time.GetUtcNow();
                _heard[report.Id] = (report, old && entry.Created < now - LostAfter ? entry.Created : now);
            }
        }
        else if (entry.Key.StartsWith("drain.", StringComparison.Ordinal))
        {
            string id = entry.Key[6..];
            if (removed)
            {
                _drains.TryRemove(id, out _);
            }
            else
            {
                _drains[id] = entry.Value is { Length: > 0 } reason ? System.Text.Encoding.UTF8.GetString(reason) : "drained";
            }
        }

        Changed?.Invoke();
    }
}
