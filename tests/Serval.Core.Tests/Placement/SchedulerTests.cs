using Serval.Core.Placement;

namespace Serval.Core.Tests.Placement;

public sealed class SchedulerTests
{
    private static NodeOffer Node(string id, double cores = 4, long memoryMb = 8192, double reservedCores = 0, long reservedMb = 0, GpuOffer[]? gpus = null, Dictionary<string, string>? labels = null, Dictionary<string, int>? instances = null) =>
        new(id, labels ?? new Dictionary<string, string>(), cores, memoryMb, gpus ?? [], reservedCores, reservedMb, instances ?? new Dictionary<string, int>());

    private static PlacementRequest Ask(double cores = 0.5, long memoryMb = 512, double gpus = 0, long gpuMemoryMb = 0, string[]? nodes = null, Dictionary<string, string>? labels = null) =>
        new("rec:1", cores, memoryMb, gpus, gpuMemoryMb, nodes ?? [], labels ?? new Dictionary<string, string>());

    [Fact]
    public void The_fuller_node_that_still_fits_wins()
    {
        // a: 1.5 of 2 cores after (0.75); b: 0.5 of 4 (0.125): pack a, keep b's room for a large one.
        PlacementChoice choice = Scheduler.Place(Ask(), [Node("b"), Node("a", cores: 2, reservedCores: 1)]);
        Assert.Equal("a", choice.Node);
    }

    [Fact]
    public void Replicas_spread_before_they_pack()
    {
        PlacementChoice choice = Scheduler.Place(Ask(), [Node("a", cores: 2, reservedCores: 1, instances: new() { ["rec:1"] = 1 }), Node("b")]);
        Assert.Equal("b", choice.Node);
    }

    [Fact]
    public void Equal_nodes_go_to_the_lower_id()
    {
        Assert.Equal("n1", Scheduler.Place(Ask(), [Node("n2"), Node("n1"), Node("n3")]).Node);
    }

    [Theory]
    [InlineData(1.0, 0L, "cores: 3.5 of 4 reserved, 1 more asked")]
    [InlineData(0.5, 8000L, "memory: 1000 of 8192 MiB reserved, 8000 more asked")]
    public void A_node_short_of_room_is_refused_naming_what_is_short(double cores, long memoryMb, string reason)
    {
        PlacementChoice choice = Scheduler.Place(Ask(cores, memoryMb), [Node("a", reservedCores: 3.5, reservedMb: 1000)]);
        Assert.False(choice.Placed);
        Assert.Equal($"no node fits rec:1: a: {reason}", choice.Reason);
    }

    [Fact]
    public void Labels_must_match_and_the_refusal_says_which()
    {
        NodeOffer cpu = Node("cpu1", labels: new() { ["accelerator"] = "cpu" });
        NodeOffer gpu = Node("gpu1", labels: new() { ["accelerator"] = "gpu" });
        Assert.Equal("gpu1", Scheduler.Place(Ask(labels: new() { ["accelerator"] = "gpu" }), [cpu, gpu]).Node);

        PlacementChoice none = Scheduler.Place(Ask(labels: new() { ["region"] = "east" }), [cpu]);
        Assert.Equal("no node fits rec:1: cpu1: label region=east asked, none on the node", none.Reason);
    }

    [Fact]
    public void Only_the_nodes_named_are_considered()
    {
        Assert.Equal("n3", Scheduler.Place(Ask(nodes: ["n3"]), [Node("n1"), Node("n3", cores: 1)]).Node);
        Assert.Contains("n1: not among placement.nodes [n9]", Scheduler.Place(Ask(nodes: ["n9"]), [Node("n1")]).Reason);
    }

    [Fact]
    public void A_gpu_share_goes_to_a_gpu_node_onto_the_fullest_device_it_fits()
    {
        NodeOffer gpu = Node("gpu1", gpus: [new GpuOffer(0, 16384, 0), new GpuOffer(0.5, 16384, 4096)]);
        PlacementChoice choice = Scheduler.Place(Ask(gpus: 0.25), [Node("cpu1"), gpu]);
        Assert.Equal("gpu1", choice.Node);
        Assert.Equal([1], choice.Devices);
        Assert.Contains("cpu1: gpus: none on the node, 0.25 asked", Scheduler.Place(Ask(gpus: 0.25), [Node("cpu1")]).Reason);
    }

    [Fact]
    public void A_device_without_the_gpu_memory_asked_is_skipped()
    {
        NodeOffer gpu = Node("gpu1", gpus: [new GpuOffer(0.5, 16384, 14000), new GpuOffer(0, 16384, 0)]);
        Assert.Equal([1], Scheduler.Place(Ask(gpus: 0.25, gpuMemoryMb: 4096), [gpu]).Devices);

        NodeOffer full = Node("gpu2", gpus: [new GpuOffer(0.5, 16384, 14000)]);
        PlacementChoice none = Scheduler.Place(Ask(gpus: 0.25, gpuMemoryMb: 4096), [full]);
        Assert.Equal("no node fits rec:1: gpu2: gpus: 0.25 asked with 4096 MiB each, devices in use 0.5 (2384 MiB free)", none.Reason);
    }

    [Fact]
    public void Whole_gpus_take_free_devices_only()
    {
        NodeOffer gpu = Node("gpu1", gpus: [new GpuOffer(0.25, 16384, 0), new GpuOffer(0, 16384, 0), new GpuOffer(0, 16384, 0)]);
        Assert.Equal([1, 2], Scheduler.Place(Ask(gpus: 2), [gpu]).Devices);
        Assert.False(Scheduler.Place(Ask(gpus: 3), [gpu]).Placed);
    }

    [Fact]
    public void No_ready_node_is_said_so()
    {
        Assert.Equal("no node is ready", Scheduler.Place(Ask(), []).Reason);
    }
}
