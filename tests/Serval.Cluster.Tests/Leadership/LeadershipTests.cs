using NATS.Client.KeyValueStore;
using Serval.Cluster.Connection;
using Serval.Cluster.Leadership;
using Serval.Cluster.Tests.Support;
using Serval.Core.Cluster;
using Serval.TestSupport;

namespace Serval.Cluster.Tests.Leadership;

/// <summary>
/// The election on a real 3-server cluster, each controller's clock a fake one moved by the test,
/// so "silent for 4 s" is a step, not a wait; the compare-and-set writes are NATS's own.
/// </summary>
public sealed class LeadershipTests(LocalNats nats) : IClassFixture<LocalNats>
{
    private static readonly LeaseTiming Timing = LeaseTiming.Default;

    private async Task<(INatsKVStore Bucket, FakeTimeProvider Clock)> SetUpAsync()
    {
        ClusterConnection connection = await nats.ConnectAsync();
        return (await Buckets.KeyValueAsync(connection, $"leader-{Guid.NewGuid():N}"[..20], replicas: 3, history: CompareAndSet.History), new FakeTimeProvider());
    }

    private static Serval.Cluster.Leadership.Leadership Controller(INatsKVStore bucket, string id, TimeProvider clock) =>
        new(bucket, new LeaderRecord(id, 1000 + id.Length, "localhost"), Timing, clock, LocalNats.Quiet);

    [Fact]
    public async Task The_first_controller_leads_and_the_second_stands_by()
    {
        (INatsKVStore bucket, FakeTimeProvider clock) = await SetUpAsync();
        var c1 = Controller(bucket, "c1", clock);
        var c2 = Controller(bucket, "c2", clock);

        await c1.TickAsync(default);
        await c2.TickAsync(default);

        Assert.True(c1.IsLeader);
        Assert.False(c2.IsLeader);
        Assert.Equal("c1", c2.Leader?.Id);
        Assert.True(c1.Term > 0);

        // Renewals keep the term and keep the standby waiting, however long it runs.
        ulong term = c1.Term;
        for (int i = 0; i < 10; i++)
        {
            clock.Advance(Timing.Renew);
            await c1.TickAsync(default);
            await c2.TickAsync(default);
            Assert.True(c1.IsLeader);
            Assert.False(c2.IsLeader);
        }

        Assert.Equal(term, c1.Term);
    }

    [Fact]
    public async Task A_standby_takes_over_when_renewals_stop_and_the_old_leader_is_refused_on_waking()
    {
        (INatsKVStore bucket, FakeTimeProvider clock) = await SetUpAsync();
        var c1 = Controller(bucket, "c1", clock);
        var c2 = Controller(bucket, "c2", clock);
        await c1.TickAsync(default);
        ulong firstTerm = c1.Term;

        // c1 stops (a killed process, or one paused); c2 keeps ticking.
        TimeSpan elapsed = TimeSpan.Zero;
        while (!c2.IsLeader && elapsed < TimeSpan.FromSeconds(20))
        {
            await c2.TickAsync(default);
            clock.Advance(Timing.Renew);
            elapsed += Timing.Renew;
            if (elapsed >= Timing.Belief)
            {
                Assert.False(c1.IsLeader);
            }
        }

        Assert.True(c2.IsLeader, "c2 did not take over");
        Assert.True(elapsed >= Timing.Timeout, $"c2 took over after {elapsed}, before the timeout");
        Assert.True(c2.Term > firstTerm);

        // c1 wakes believing nothing happened: its renewal is refused and it follows c2.
        await c1.TickAsync(default);
        Assert.False(c1.IsLeader);
        Assert.Equal(0ul, c1.Term);
        Assert.Equal("c2", c1.Leader?.Id);
    }

    [Fact]
    public async Task Two_standbys_taking_over_at_once_leave_exactly_one_leader()
    {
        (INatsKVStore bucket, FakeTimeProvider clock) = await SetUpAsync();
        var c1 = Controller(bucket, "c1", clock);
        var standbys = new[] { Controller(bucket, "c2", clock), Controller(bucket, "c3", clock) };
        await c1.TickAsync(default);
        await Task.WhenAll(standbys.Select(s => s.TickAsync(default)));

        clock.Advance(Timing.Timeout);
        await Task.WhenAll(standbys.Select(s => s.TickAsync(default)));

        Assert.Single(standbys, s => s.IsLeader);
    }

    [Fact]
    public async Task A_resigning_leader_hands_over_without_the_timeout()
    {
        (INatsKVStore bucket, FakeTimeProvider clock) = await SetUpAsync();
        var c1 = Controller(bucket, "c1", clock);
        var c2 = Controller(bucket, "c2", clock);
        await c1.TickAsync(default);
        await c2.TickAsync(default);

        await c1.ResignAsync(default);
        await Eventually.TrueAsync(async () =>
        {
            await c2.TickAsync(default);
            return c2.IsLeader;
        }, "c2 leading after c1 resigned", TimeSpan.FromSeconds(10));
        Assert.False(c1.IsLeader);
    }
}

/// <summary>The compare-and-set that holds where nats-server 2.9's own does not (nats-server#4320).</summary>
public sealed class CompareAndSetTests(LocalNats nats) : IClassFixture<LocalNats>
{
    [Fact]
    public async Task Of_concurrent_writers_expecting_one_revision_exactly_one_wins()
    {
        var connection = await nats.ConnectAsync();
        var bucket = await Buckets.KeyValueAsync(connection, $"cas-{Guid.NewGuid():N}"[..16], replicas: 3, history: CompareAndSet.History);
        for (int round = 0; round < 5; round++)
        {
            string key = $"k{round}";
            ulong created = await bucket.CreateAsync(key, new byte[] { 0 });
            ulong?[] won = await Task.WhenAll(Enumerable.Range(1, 4).Select(i => CompareAndSet.WriteAsync(bucket, key, [(byte)i], created, default)));

            Assert.Single(won, w => w is not null);
            Assert.Null(await CompareAndSet.WriteAsync(bucket, key, [9], created, default));
        }
    }
}
