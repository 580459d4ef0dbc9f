using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Serval.Core.Specs;
using Serval.Core.Wire;
using Serval.Node.Capacity;
using Serval.Node.Instances;
using Serval.TestSupport.Instances;
using Serval.TestSupport;

namespace Serval.Node.Tests.Instances;

/// <summary>The supervisor's use of the pool, with scripted processes (a real socket stands in for a fresh instance).</summary>
public sealed class SupervisorPoolTests : IDisposable
{
    private readonly string _root = Paths.NewTempDir("serval-node");
    private readonly FakeLauncher _launcher = new();
    private readonly List<Socket> _listeners = [];

    public SupervisorPoolTests()
    {
        _launcher.Script = process =>
        {
            if (process.Request.Arguments.Contains("--pool"))
            {
                FakeLauncher.Pooled(process); // says it waits, but nothing listens on its socket
            }
            else
            {
                ServeFresh(process);
            }
        };
    }

    [Fact]
    public async Task StartAsync_PooledProcessUnreachable_KillsItAndStartsAFreshProcess()
    {
        await using InstanceSupervisor supervisor = Supervisor(poolSize: 1);
        supervisor.Pool!.Fill();
        await Eventually.TrueAsync(() => supervisor.Pool.Waiting == 1, "the pooled process waits");
        FakeProcess pooled = _launcher.Started[0];

        Instance instance = await supervisor.StartAsync(Config(), CancellationToken.None);

        Assert.Equal(InstanceState.Ready, instance.State);
        Assert.False(instance.Report!.Pooled);
        Assert.Equal(1, pooled.Killed);
        FakeProcess fresh = _launcher.Started.Single(p => p.Request.Arguments.Contains("--config"));
        Assert.Same(fresh, instance.Process);
        Assert.Equal(pooled.Request.Arguments[3], instance.Config.SocketPath); // a fresh process takes over the pool's socket path
    }

    [Fact]
    public async Task StartAsync_NoPool_StartsAFreshProcess()
    {
        await using InstanceSupervisor supervisor = Supervisor(poolSize: 0);

        Instance instance = await supervisor.StartAsync(Config(), CancellationToken.None);

        Assert.Null(supervisor.Pool);
        Assert.Equal(InstanceState.Ready, instance.State);
        Assert.Equal(Path.Combine(_root, "s", "test.sock"), instance.Config.SocketPath);
        Assert.Single(_launcher.Started);
    }

    [Fact]
    public async Task StartAsync_GpuInstances_StartAfreshOnTheirOwnDevices_AndGiveThemBack()
    {
        await using InstanceSupervisor supervisor = Supervisor(poolSize: 1, gpus: 2);
        supervisor.Pool!.Fill();
        await Eventually.TrueAsync(() => supervisor.Pool.Waiting == 1, "the pooled process waits");

        Instance half = await supervisor.StartAsync(Config("half", gpus: 0.5), CancellationToken.None);
        Instance whole = await supervisor.StartAsync(Config("whole", gpus: 1), CancellationToken.None);
        Instance other = await supervisor.StartAsync(Config("other", gpus: 0.5), CancellationToken.None);
        var refused = await Assert.ThrowsAsync<InstanceStartException>(() => supervisor.StartAsync(Config("more", gpus: 1), CancellationToken.None));

        // Shares pack onto one device, leaving the other whole for the instance that needs it all.
        Assert.Equal([0], half.GpuDevices);
        Assert.Equal([1], whole.GpuDevices);
        Assert.Equal([0], other.GpuDevices);
        Assert.Contains("gpus: 2 of 2 reserved, 1 more asked", refused.Message);
        Assert.Equal(1, supervisor.Pool.Waiting); // CUDA_VISIBLE_DEVICES is fixed at a process's start: the pool is not used
        Assert.Equal("0", Environment(half)["CUDA_VISIBLE_DEVICES"]);
        Assert.Equal("1", Environment(whole)["CUDA_VISIBLE_DEVICES"]);

        await supervisor.StopAsync(whole, "test");
        Instance again = await supervisor.StartAsync(Config("again", gpus: 1), CancellationToken.None);
        Assert.Equal([1], again.GpuDevices);

        Instance cpu = await supervisor.StartAsync(Config("cpu"), CancellationToken.None);
        Assert.Empty(cpu.GpuDevices);
        Assert.False(Environment(cpu).ContainsKey("CUDA_VISIBLE_DEVICES"));
    }

    private IReadOnlyDictionary<string, string> Environment(Instance instance) =>
        _launcher.Started.Single(p => ReferenceEquals(p, instance.Process)).Request.Environment;

    public void Dispose()
    {
        foreach (Socket listener in _listeners)
        {
            listener.Dispose();
        }

        Directory.Delete(_root, recursive: true);
    }

    private InstanceSupervisor Supervisor(int poolSize, int gpus = 0) => new(
        _launcher,
        new NodeOptions
        {
            RunDirectory = Path.Combine(_root, "run"),
            SocketDirectory = Path.Combine(_root, "s"),
            InstanceHostPath = "/opt/serval/serval-instance.dll",
            WarmPoolSize = poolSize,
        },
        new NodeCapacity(4, 8192, gpus),
        TimeProvider.System,
        NullLogger<InstanceSupervisor>.Instance);

    private InstanceConfig Config(string id = "test", double gpus = 0) => new()
    {
        Function = "f",
        Version = 1,
        InstanceId = $"f-v1-{id}",
        Runtime = RuntimeKind.Onnx,
        PackageDirectory = _root,
        SocketPath = Path.Combine(_root, "s", $"{id}.sock"),
        Model = "m.onnx",
        Cores = 0.25,
        MemoryLimitMb = 256,
        Gpu = gpus > 0,
        Gpus = gpus,
    };

    /// <summary>What a fresh instance does, as far as the supervisor can see: listen on the config's socket, then print the ready line.</summary>
    private void ServeFresh(FakeProcess process)
    {
        InstanceConfig config = InstanceConfig.FromJson(File.ReadAllText(process.Request.Arguments[2]));
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(config.SocketPath));
        listener.Listen(4);
        lock (_listeners)
        {
            _listeners.Add(listener);
        }

        process.Request.OnStdoutLine(new ReadyReport { OrtVersion = "fake" }.ToLine());
    }
}
