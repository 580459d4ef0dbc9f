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
        Assert.Equal("gpus: 1 of 1 reserved, 0.5 more asked", shortOf);
        Assert.Equal(0, node.Room(1, 1024, 0.5));
        Assert.Equal(6, node.Room(1, 1024, 0)); // CPU-only instances still fit

        node.Release(1, 1024, 0.5);

        Assert.Equal(0.5, node.ReservedGpus);
        Assert.Equal(1, node.Room(1, 1024, 0.5));
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
