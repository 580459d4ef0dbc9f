using Serval.Core.Placement;
using Serval.Node.Capacity;
using Serval.TestSupport;

namespace Serval.Node.Tests.Capacity;

/// <summary>Reservations of cores, memory and GPUs on one node.</summary>
public sealed class NodeCapacityTests
{
    [Fact]
    public void Reserve_Gpu_OnANodeWithNone_IsRefusedNamingIt()
    {
        var node = new NodeCapacity(cores: 8, memoryMb: 8192);

        Assert.False(node.TryReserve(1, 1024, 1, out string? shortOf));
        Assert.Equal("gpus: this node has none, 1 asked (resources.gpu)", shortOf);
        Assert.Equal(0, node.ReservedCores);
        Assert.True(node.TryReserve(1, 1024, 0, out _));
    }

    [Fact]
    public void Reserve_GpuShares_FitUntilTheGpuIsFull_AndReleaseGivesThemBack()
    {
        var node = new NodeCapacity(cores: 8, memoryMb: 8192, gpus: 1);

        Assert.Equal(2, node.Room(1, 1024, 0.5));
        Assert.True(node.TryReserve(1, 1024, 0.5, out _));
        Assert.True(node.TryReserve(1, 1024, 0.5, out _));
        Assert.False(node.TryReserve(1, 1024, 0.5, out string? shortOf));
        Assert.Equal("gpus: 1 of 1 reserved, 0.5 more asked (a share must fit on one device)", shortOf);
        Assert.Equal(0, node.Room(1, 1024, 0.5));
        Assert.Equal(6, node.Room(1, 1024, 0)); // CPU-only instances still fit

        node.Release(1, 1024, 0.5, [0]);

        Assert.Equal(0.5, node.ReservedGpus);
        Assert.Equal(1, node.Room(1, 1024, 0.5));
    }

    [Theory]
    [InlineData(new double[] { 0, 0 }, 0.5, new[] { 0 })]          // a share on the first free device
    [InlineData(new double[] { 0, 0.5 }, 0.5, new[] { 1 })]        // best fit: the fuller device it still fits on
    [InlineData(new double[] { 0.75, 0.5 }, 0.25, new[] { 0 })]
    [InlineData(new double[] { 0.75, 0.5 }, 0.5, new[] { 1 })]
    [InlineData(new double[] { 0.75, 0.75 }, 0.5, null)]           // 0.5 free in all, but not on one device
    [InlineData(new double[] { 0.5, 0, 0 }, 1, new[] { 1 })]       // a whole GPU takes an unused device
    [InlineData(new double[] { 0.5, 0, 0 }, 2, new[] { 1, 2 })]
    [InlineData(new double[] { 0.5, 0, 0 }, 1.5, new[] { 1, 2 })]  // more than one: whole devices
    [InlineData(new double[] { 0.5, 0.5 }, 1, null)]
    [InlineData(new double[] { }, 0.5, null)]
    public void GpuPlacement_Choose(double[] used, double asked, int[]? expected)
    {
        Assert.Equal(expected, GpuPlacement.Choose(used, asked));
    }

    [Theory]
    [InlineData(new double[] { 0, 0.5 }, 0.5, 3)]
    [InlineData(new double[] { 0.75, 0.75 }, 0.5, 0)]
    [InlineData(new double[] { 0, 0, 0.25 }, 1, 2)]
    [InlineData(new double[] { 0, 0, 0 }, 2, 1)]
    public void GpuPlacement_Room(double[] used, double asked, int room)
    {
        Assert.Equal(room, GpuPlacement.Room(used, asked));
    }

    [Fact]
    public void CountGpus_CountsNvidiaNumberedDevicesOnly()
    {
        string dev = Paths.NewTempDir("serval-dev");
        try
        {
            foreach (string name in (string[])["nvidia0", "nvidia1", "nvidia12", "nvidiactl", "nvidia-uvm", "nvidia-caps", "null"])
            {
                File.WriteAllText(Path.Combine(dev, name), "");
            }

            Assert.Equal(3, NodeCapacity.CountGpus(dev));
            Assert.Equal(0, NodeCapacity.CountGpus(Path.Combine(dev, "absent")));
        }
        finally
        {
            Directory.Delete(dev, recursive: true);
        }
    }
}
