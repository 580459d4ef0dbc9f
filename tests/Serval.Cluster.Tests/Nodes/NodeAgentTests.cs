using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.KeyValueStore;
using Serval.Cluster.Artifacts;
using Serval.Cluster.Connection;
using Serval.Cluster.Membership;
using Serval.Cluster.Nodes;
using Serval.Cluster.Tests.Support;
using Serval.Core.Cluster;
using Serval.Core.Placement;
using Serval.Core.Specs;
using Serval.Core.Tensors;
using Serval.Core.Wire;
using Serval.Node.Capacity;
using Serval.Node.Instances;
using Serval.Node.Packages;
using Serval.Node.Processes;
using Serval.TestSupport;

namespace Serval.Cluster.Tests.Nodes;

/// <summary>
/// Two node agents with real instance processes on a real 3-server cluster: the controller places
/// by capacity and labels, each node fetches the model once, gateways invoke through the relays,
/// and a node that dies is lost and placed around.
/// </summary>
public sealed class NodeAgentTests(LocalNats nats) : IClassFixture<LocalNats>, IAsyncLifetime
{
    private readonly string _root = Paths.NewTempDir("serval-agents");
    private readonly List<NodeAgent> _agents = [];
    private readonly CancellationTokenSource _stop = new();
    private NodeTable _table = null!;
    private RemoteInstances _remote = null!;
    private StartOrder _order = null!;

    public async Task InitializeAsync()
    {
        ClusterConnection connection = await nats.ConnectAsync("controller");
        INatsKVStore nodes = await Buckets.KeyValueAsync(connection, Buckets.Nodes, replicas: 3);
        var store = new ArtifactStore(await Buckets.ObjectsAsync(connection, Buckets.Blobs, replicas: 3));
        byte[] model = await File.ReadAllBytesAsync(Paths.ClsModel);
        string digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(model));
        await store.PutAsync(digest, new MemoryStream(model), default);

        foreach ((string id, double cores, Dictionary<string, string> labels) in new[]
        {
            ("node-a", 1.0, new Dictionary<string, string> { ["accelerator"] = "cpu" }),
            ("node-b", 4.0, new Dictionary<string, string> { ["region"] = "east" }),
        })
        {
            ClusterConnection own = await nats.ConnectAsync(id);
            var agent = new NodeAgent(
                own, await Buckets.KeyValueAsync(own, Buckets.Nodes, replicas: 3), store,
                new NodeAgentOptions { Id = id, Labels = labels, DataDirectory = Path.Combine(_root, id) },
                new NodeCapacity(cores, 8192), new OsProcessLauncher(TimeProvider.System), TimeProvider.System, NullLoggerFactory.Instance);
            agent.Start();
            _agents.Add(agent);
        }

        _table = new NodeTable(nodes, TimeProvider.System, NullLogger.Instance);
        _ = _table.RunAsync(_stop.Token);
        _remote = new RemoteInstances(connection, _table);
        _order = new StartOrder(
            new InstanceConfig
            {
                Function = "cls",
                Version = 1,
                InstanceId = "",
                Runtime = RuntimeKind.Onnx,
                PackageDirectory = "",
                SocketPath = "",
                Model = "cls.onnx",
                Cores = 0.5,
                MemoryLimitMb = 512,
            }.ToJson(),
            [new PackageFile("cls.onnx", digest, model.Length)]);
        await Eventually.TrueAsync(() => Task.FromResult(_table.Ready().Count == 2), "both nodes heard", TimeSpan.FromSeconds(15));
    }

    public async Task DisposeAsync()
    {
        _stop.Cancel();
        foreach (NodeAgent agent in _agents)
        {
            await agent.DisposeAsync();
        }

        Directory.Delete(_root, recursive: true);
    }

    private Task<RemoteInstance> StartAsync(string name, Dictionary<string, string>? labels = null) =>
        _remote.StartAsync(
            new PlacementRequest("cls:1", 0.5, 512, 0, 0, [], labels ?? new Dictionary<string, string>()),
            _order with { Config = (InstanceConfig.FromJson(_order.Config) with { InstanceId = name }).ToJson() },
            CancellationToken.None);

    [Fact]
    public async Task Instances_are_placed_by_capacity_spread_and_labels_fetch_the_model_once_per_node_and_answer_through_the_relay()
    {
        // a: 0.5 of 1 core after (0.5) beats b's 0.5 of 4; then b, holding no replica; then a again (fuller).
        RemoteInstance first = await StartAsync("cls-1");
        RemoteInstance second = await StartAsync("cls-2");
        RemoteInstance third = await StartAsync("cls-3");
        Assert.Equal(["node-a", "node-b", "node-a"], new[] { first.Node, second.Node, third.Node });

        // node-a is full now: a fourth goes to b, as does one asking for region=east.
        Assert.Equal("node-b", (await StartAsync("cls-4")).Node);
        Assert.Equal("node-b", (await StartAsync("cls-5", new() { ["region"] = "east" })).Node);
        var none = await Assert.ThrowsAsync<ClusterException>(() => StartAsync("cls-6", new() { ["region"] = "west" }));
        Assert.Contains("node-a: label region=west asked, none on the node", none.Message);

        Assert.Equal([1, 1], _agents.Select(a => a.Artifacts.Downloads));
        foreach (RemoteInstance instance in new[] { first, second, third })
        {
            ulong id = instance.Connection.NextId();
            using WireWriter frame = WireCodec.EncodeInvoke(id, new InferRequest([Input()], []), 0);
            InvokeOutcome outcome = await instance.Connection.InvokeAsync(id, frame.Complete(), CancellationToken.None);
            Assert.Null(outcome.Error);
            outcome.Release();
        }
    }

    [Fact]
    public async Task A_node_that_dies_is_lost_its_connections_break_and_the_next_instance_goes_elsewhere()
    {
        RemoteInstance onA = await StartAsync("cls-a");
        Assert.Equal("node-a", onA.Node);

        NodeAgent a = _agents[0];
        _agents.Remove(a);
        await a.DisposeAsync(); // its heartbeats stop and its instances end, as a crash ends them

        await Eventually.TrueAsync(() => Task.FromResult(onA.Connection.IsBroken || onA.Connection.ClosedReason is not null), "the connection to node-a's instance broken", TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => Task.FromResult(_table.Snapshot().Single(n => n.Report.Id == "node-a").State == NodeState.Lost), "node-a lost", TimeSpan.FromSeconds(15));
        Assert.Equal("node-b", (await StartAsync("cls-b")).Node);
    }

    private static NamedTensor Input()
    {
        float[] values = new float[3 * 48 * 192];
        Array.Fill(values, 0.25f);
        return new NamedTensor("x", Tensor.From<float>(values, [1, 3, 48, 192]));
    }
}
