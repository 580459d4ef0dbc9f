using Serval.Core.Scheduling;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.KeyValueStore;
using Serval.Core.Cluster;

namespace Serval.Cluster.Leadership;

/// <summary>
/// One controller's part in the election: the leader key in <see cref="Buckets.Leader"/>, created
/// with compare-and-set (<see cref="CompareAndSet"/>: one that holds on nats-server 2.9) and renewed on the revision this controller wrote last (not on a read,
/// which may be stale), taken over by compare-and-set on the revision a standby saw stand unchanged.
/// The decisions are <see cref="LeaseRule"/>'s; <see cref="TickAsync"/> is one step of the loop.
/// </summary>
public sealed class Leadership(INatsKVStore bucket, LeaderRecord self, LeaseTiming timing, TimeProvider time, ILogger logger)
{
    /// <summary>The key in the bucket.</summary>
    public const string Key = "controller";

    private readonly object _gate = new();
    private LeaseObservation _seen = new(null, 0, time.GetUtcNow());
    private ulong? _held;
    private DateTimeOffset? _lastWriteSent;

    /// <summary>This controller's id.</summary>
    public string Id => self.Id;

    /// <summary>Whether this controller may act as the leader now.</summary>
    public bool IsLeader
    {
        get
        {
            lock (_gate)
            {
                return LeaseRule.Leads(self.Id, _seen, _lastWriteSent, time.GetUtcNow(), timing);
            }
        }
    }

    /// <summary>
    /// The revision at which this controller's leadership began (its term): records a leader writes
    /// carry it, so a deposed leader's late write is told from its successor's. 0 when not leading.
    /// </summary>
    public ulong Term { get; private set; }

    /// <summary>The leader as last seen (this controller or another); null when none.</summary>
    public LeaderRecord? Leader { get; private set; }

    /// <summary>One step: renew, acquire, take over or wait, as the rule says.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset sent = time.GetUtcNow();
        if (_held is { } held)
        {
            if (await CompareAndSet.WriteAsync(bucket, Key, Json.Bytes(self), held, cancellationToken).ConfigureAwait(false) is { } renewed)
            {
                Wrote(renewed, sent, newTerm: false);
                return;
            }

            logger.LogWarning("controller {Id} lost the leadership: its renewal on revision {Revision} was refused", self.Id, held);
            Lost();
        }

        NatsResult<NatsKVEntry<byte[]>> read = await bucket.TryGetEntryAsync<byte[]>(Key, cancellationToken: cancellationToken).ConfigureAwait(false);
        LeaderRecord? holder = read.Success && Json.Read<LeaderRecord>(read.Value.Value) is { Id.Length: > 0 } record ? record : null;
        ulong revision = read.Success ? read.Value.Revision : 0;
        DateTimeOffset now = time.GetUtcNow();
        lock (_gate)
        {
            if (holder?.Id != _seen.Holder || revision != _seen.Revision)
            {
                _seen = new LeaseObservation(holder?.Id, revision, now);
            }
        }

        Leader = holder;
        switch (LeaseRule.Next(self.Id, _seen, now, timing))
        {
            case LeaseAction.Acquire:
            case LeaseAction.TakeOver:
            case LeaseAction.Renew: // the key names this controller but it holds no revision: a restart with the same id
                if (await CompareAndSet.WriteAsync(bucket, Key, Json.Bytes(self), revision, cancellationToken).ConfigureAwait(false) is { } won)
                {
                    if (holder is not null)
                    {
                        logger.LogInformation("controller {Id} took over the leadership from {Previous} (silent since {Since:O})", self.Id, holder.Id, _seen.SeenSince);
                    }

                    Wrote(won, sent, newTerm: true);
                }

                break;
        }
    }

    /// <summary>Ticks every renewal interval until <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // NATS unreachable or without quorum: a tick fails, and the belief window runs out by itself.
        await Periodic.RunAsync(
            timing.Renew, time, TickAsync,
            e => logger.LogWarning("controller {Id}: leader key unavailable: {Error}", self.Id, e.Message),
            cancellationToken, tickFirst: true).ConfigureAwait(false);
    }

    /// <summary>Gives the leadership up at once (a clean shutdown), so a standby need not wait out the timeout.</summary>
    public async Task ResignAsync(CancellationToken cancellationToken)
    {
        if (_held is { } held)
        {
            Lost();

            // A vacant record, not a delete: every write to the key stays a compare-and-set on a known revision.
            await CompareAndSet.WriteAsync(bucket, Key, Json.Bytes(new LeaderRecord("", 0, "")), held, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Wrote(ulong revision, DateTimeOffset sent, bool newTerm)
    {
        lock (_gate)
        {
            _held = revision;
            _lastWriteSent = sent;
            _seen = new LeaseObservation(self.Id, revision, sent);
            if (newTerm)
            {
                Term = revision;
            }
        }

        Leader = self;
    }

    private void Lost()
    {
        lock (_gate)
        {
            _held = null;
            _lastWriteSent = null;
            Term = 0;
        }
    }
}
