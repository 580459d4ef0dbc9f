using Serval.Node.Instances;
using Serval.Server.Async;
using Serval.Server.Dispatch;

namespace Serval.Server.Monitoring;

/// <summary>
/// What the metrics hold as a state rather than an event, read when Prometheus scrapes: instances by
/// state, each version's queue and in-flight count, the node's capacity and reservations, and the
/// async backlog (one grouped read of the unfinished invocations). Series that no longer exist (a
/// removed version, a state no instance is in) leave the exposition instead of staying at their last value.
/// </summary>
public sealed class ScrapeGauges(Metrics metrics, InstanceSupervisor supervisor, Dispatcher dispatcher, IInvocationStore store, TimeProvider time)
{
    /// <summary>Sets every gauge to what is true now.</summary>
    public async Task UpdateAsync()
    {
        Metrics.SetAll(metrics.Instances, supervisor.Instances
            .Where(i => !i.Id.StartsWith("check-", StringComparison.Ordinal))
            .GroupBy(i => (i.Config.Function, i.Config.Version, i.State))
            .Select(g => (new[] { g.Key.Function, Metrics.Text(g.Key.Version), g.Key.State.ToString() }, (double)g.Count())));

        var pools = dispatcher.Pools.Select(p => (Labels: new[] { p.Version.Function, Metrics.Text(p.Version.Version) }, Snapshot: p.Peek())).ToList();
        Metrics.SetAll(metrics.Queued, pools.Select(p => (p.Labels, (double)p.Snapshot.Queued)));
        Metrics.SetAll(metrics.InFlight, pools.Select(p => (p.Labels, (double)p.Snapshot.InFlight)));

        var capacity = supervisor.Capacity;
        metrics.NodeCores.Set(capacity.Cores);
        metrics.NodeCoresReserved.Set(capacity.ReservedCores);
        metrics.NodeMemory.Set(capacity.MemoryMb * 1048576.0);
        metrics.NodeMemoryReserved.Set(capacity.ReservedMemoryMb * 1048576.0);
        metrics.NodeGpus.Set(capacity.Gpus);
        metrics.NodeGpusReserved.Set(capacity.ReservedGpus);

        IReadOnlyList<AsyncBacklog> backlog = await store.BacklogAsync().ConfigureAwait(false);
        DateTimeOffset now = time.GetUtcNow();
        var labelled = backlog.Select(b => (Labels: new[] { b.Function, Metrics.Text(b.Version) }, Backlog: b)).ToList();
        Metrics.SetAll(metrics.AsyncQueued, labelled.Select(b => (b.Labels, (double)b.Backlog.Queued)));
        Metrics.SetAll(metrics.AsyncRunning, labelled.Select(b => (b.Labels, (double)b.Backlog.Running)));
        Metrics.SetAll(metrics.AsyncOldestAge, labelled.Where(b => b.Backlog.OldestQueued is not null)
            .Select(b => (b.Labels, Math.Max(0, (now - b.Backlog.OldestQueued!.Value).TotalSeconds))));
    }
}
