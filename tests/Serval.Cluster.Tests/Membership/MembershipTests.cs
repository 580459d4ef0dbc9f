using NATS.Client.KeyValueStore;
using Serval.Cluster.Connection;
using Serval.Cluster.Membership;
using Serval.Cluster.Tests.Support;
using Serval.Core.Cluster;
using Serval.Core.Placement;
using Serval.TestSupport;

namespace Serval.Cluster.Tests.Membership;

/// <summary>
/// Heartbeats through a real 3-server cluster into a watching table whose clock the test moves:
/// a node that stops beating turns lost after the timeout, a drained one leaves the ready set, and
/// the scheduler places on what the heartbeats say.
/// </summary>
public sealed class MembershipTests(LocalNats nats) : IClassFixture<LocalNats>
{
    private sealed record Setup(INatsKVStore Bucket, FakeTimeProvider Clock, NodeTable Table, CancellationTokenSource Stop);

    private async Task<Setup> SetUpAsync()
    {
        ClusterConnection connection = await nats.ConnectAsync();
        INatsKVStore bucket = await nats.BucketAsync(connection, "nodes");
        var clock = new FakeTimeProvider();
        var table = new NodeTable(bucket, clock, LocalNats.Quiet);
        var stop = new CancellationTokenSource();
        _ = table.RunAsync(stop.Token);
        return new Setup(bucket, clock, table, stop);
    }

    private static HeartbeatPublisher Node(Setup setup, Func<DateTimeOffset, NodeReport> report, TimeProvider? clock = null) =>
        new(setup.Bucket, report, clock ?? setup.Clock, LocalNats.Quiet);

    private static Task HeardAsync(Setup setup, string id, long sequence) =>
        Eventually.TrueAsync(
            () => Task.FromResult(setup.Table.Snapshot().Any(n => n.Report.Id == id && n.Report.Sequence >= sequence)),
            $"heartbeat {sequence} of {id} in the table", TimeSpan.FromSeconds(10));

    [Fact]
    public async Task A_node_whose_heartbeats_stop_turns_lost_while_the_others_stay_ready()
    {
        Setup setup = await SetUpAsync();
        using CancellationTokenSource stop = setup.Stop;
        string[] ids = ["n1", "n2", "n3"];
        HeartbeatPublisher[] nodes = ids.Select(id => Node(setup, Reports.Of(id))).ToArray();

        for (long beat = 1; beat <= 5; beat++)
        {
            // n3 dies after its second heartbeat.
            foreach (HeartbeatPublisher node in beat <= 2 ? nodes : nodes[..2])
            {
                await node.TickAsync(default);
            }

            foreach (string id in beat <= 2 ? ids : ids[..2])
            {
                await HeardAsync(setup, id, beat);
            }

            // Now is beat seconds in; n3 was last heard 1 s in: silent beat − 1 s, lost from 2.5 s.
            setup.Clock.Advance(TimeSpan.FromSeconds(1));
            NodeState n3 = setup.Table.Snapshot().Single(n => n.Report.Id == "n3").State;
            Assert.Equal(beat >= 4 ? NodeState.Lost : NodeState.Ready, n3);
        }

        Assert.Equal(["n1", "n2"], setup.Table.Ready().Select(n => n.Report.Id));
        Assert.Equal(3, setup.Table.Snapshot().Count);
    }

    [Fact]
    public async Task A_drained_node_leaves_the_ready_set_and_comes_back_when_undrained()
    {
        Setup setup = await SetUpAsync();
        using CancellationTokenSource stop = setup.Stop;
        await Node(setup, Reports.Of("n1")).TickAsync(default);
        await HeardAsync(setup, "n1", 1);

        await setup.Table.SetDrainAsync("n1", "kernel update", default);
        await Eventually.TrueAsync(() => Task.FromResult(setup.Table.Snapshot().Single().State == NodeState.Draining), "n1 draining", TimeSpan.FromSeconds(10));
        Assert.Equal("kernel update", setup.Table.Snapshot().Single().Drain);
        Assert.Empty(setup.Table.Ready());

        await setup.Table.SetDrainAsync("n1", null, default);
        await Eventually.TrueAsync(() => Task.FromResult(setup.Table.Ready().Count == 1), "n1 ready again", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_node_with_a_skewed_clock_is_judged_by_when_it_is_heard_and_reported_skewed()
    {
        Setup setup = await SetUpAsync();
        using CancellationTokenSource stop = setup.Stop;
        var ahead = new Ahead(setup.Clock, TimeSpan.FromSeconds(30));
        await Node(setup, Reports.Of("n1"), ahead).TickAsync(default);
        await HeardAsync(setup, "n1", 1);

        NodeView view = setup.Table.Snapshot().Single();
        Assert.Equal(NodeState.Ready, view.State);
        Assert.Equal(TimeSpan.FromSeconds(30), view.Skew);
    }

    [Fact]
    public async Task The_scheduler_places_by_the_capacity_labels_and_gpus_the_heartbeats_report()
    {
        Setup setup = await SetUpAsync();
        using CancellationTokenSource stop = setup.Stop;
        await Node(setup, Reports.Of("cpu-small", cores: 2, reservedCores: 1.5)).TickAsync(default);
        await Node(setup, Reports.Of("cpu-big", cores: 16, labels: new() { ["region"] = "east" })).TickAsync(default);
        await Node(setup, Reports.Of("gpu", cores: 8, gpus: [new GpuReport(0.5, 81920, 40000), new GpuReport(0, 81920, 0)], labels: new() { ["accelerator"] = "gpu" })).TickAsync(default);
        foreach (string id in new[] { "cpu-small", "cpu-big", "gpu" })
        {
            await HeardAsync(setup, id, 1);
        }

        NodeOffer[] offers = setup.Table.Ready().Select(n => n.Offer()).ToArray();
        PlacementChoice Place(double cores, double gpus = 0, long gpuMemoryMb = 0, Dictionary<string, string>? labels = null) =>
            Scheduler.Place(new PlacementRequest("det:1", cores, 256, gpus, gpuMemoryMb, [], labels ?? new Dictionary<string, string>()), offers);

        Assert.Equal("gpu", Place(1).Node);          // cpu-small is full; of the rest, gpu is left fuller (1/8 vs 1/16)
        Assert.Equal("cpu-big", Place(10).Node);     // only cpu-big has 10 cores
        Assert.Equal("cpu-big", Place(1, labels: new() { ["region"] = "east" }).Node);

        PlacementChoice share = Place(1, gpus: 0.5, gpuMemoryMb: 30000);
        Assert.Equal("gpu", share.Node);
        Assert.Equal([0], share.Devices);      // the half-used device: it still fits, and device 1 stays whole
        PlacementChoice roomy = Place(1, gpus: 0.5, gpuMemoryMb: 50000);
        Assert.Equal([1], roomy.Devices);      // device 0 has 41920 MiB free

        string? none = Place(20).Reason;
        Assert.Contains("cpu-small: cores: 1.5 of 2 reserved, 20 more asked", none);
        Assert.Contains("gpu: cores: 0 of 8 reserved, 20 more asked", none);
    }

    private sealed class Ahead(TimeProvider inner, TimeSpan by) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + by;
    }
}
