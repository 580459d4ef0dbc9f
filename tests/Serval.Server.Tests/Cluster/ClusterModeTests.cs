using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Serval.Cluster;
using Serval.Cluster.Artifacts;
using Serval.Cluster.Connection;
using Serval.Cluster.Nodes;
using Serval.Cluster.Servers;
using Serval.Node.Capacity;
using Serval.Node.Processes;
using Serval.Server.Cluster;
using Serval.Server.Tests.Support;
using Serval.TestSupport;

namespace Serval.Server.Tests.Cluster;

/// <summary>
/// The platform as a cluster's gateway and controller (<c>--nats</c>, no node role) on a real
/// 3-server NATS cluster, with two node agents: a deployed model answers through a node's relay,
/// the answer names the node, and <c>/v1/nodes</c> lists both with their instances.
/// </summary>
public sealed class ClusterModeTests : IAsyncLifetime
{
    private readonly string _root = Paths.NewTempDir("serval-cluster");
    private readonly List<NodeAgent> _agents = [];
    private readonly List<ClusterConnection> _connections = [];
    private NatsServers _nats = null!;
    private ServerFixture _server = null!;

    public async Task InitializeAsync()
    {
        _nats = await NatsServers.StartAsync(Path.Combine(_root, "nats"), 3, new OsProcessLauncher(TimeProvider.System));
        foreach (string id in new[] { "node-a", "node-b" })
        {
            ClusterConnection connection = await ClusterConnection.ConnectAsync(_nats.Urls, id, TimeSpan.FromSeconds(5));
            _connections.Add(connection);
            var agent = new NodeAgent(
                connection, await Buckets.KeyValueAsync(connection, Buckets.Nodes, 3),
                new ArtifactStore(await Buckets.ObjectsAsync(connection, Buckets.Blobs, 3)),
                new NodeAgentOptions { Id = id, Labels = new Dictionary<string, string> { ["region"] = "local" }, DataDirectory = Path.Combine(_root, id) },
                new NodeCapacity(2, 8192), new OsProcessLauncher(TimeProvider.System), TimeProvider.System, NullLoggerFactory.Instance);
            agent.Start();
            _agents.Add(agent);
        }

        _server = new ServerFixture(configure: o => o with { Cluster = new ClusterOptions { Nats = _nats.Urls, Roles = ClusterOptions.ParseRoles("gateway,controller") } });
        await _server.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        foreach (NodeAgent agent in _agents)
        {
            await agent.DisposeAsync();
        }

        foreach (ClusterConnection connection in _connections)
        {
            await connection.DisposeAsync();
        }

        await _nats.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task A_model_answers_from_a_node_agent_and_the_nodes_are_listed()
    {
        await Eventually.TrueAsync(async () => (await _server.Client.GetFromJsonAsync<JsonElement>("/v1/nodes")).GetArrayLength() == 2, "both nodes listed", TimeSpan.FromSeconds(15));
        await _server.DeployModelAsync("cls", Paths.ClsModel, "resources: { cpu: 0.5, memory: 512 }");

        using HttpResponseMessage answer = await _server.Client.PostAsJsonAsync("/v2/models/cls/infer", new
        {
            inputs = new[] { new { name = "x", datatype = "FP32", shape = new[] { 1, 3, 48, 192 }, data = Enumerable.Repeat(0.25f, 3 * 48 * 192) } },
        });

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        string node = Assert.Single(answer.Headers.GetValues("X-Serval-Node"));
        Assert.Contains(node, new[] { "node-a", "node-b" });
        string instance = Assert.Single(answer.Headers.GetValues("X-Serval-Instance"));
        Assert.Contains(_agents.Single(a => a.Id == node).Supervisor.Instances, i => i.Id == instance);

        await Eventually.TrueAsync(
            async () =>
            {
                JsonElement nodes = await _server.Client.GetFromJsonAsync<JsonElement>("/v1/nodes");
                return nodes.EnumerateArray().Any(n => n.GetProperty("id").GetString() == node
                    && n.GetProperty("state").GetString() == "ready"
                    && n.GetProperty("instances").EnumerateArray().Any(i => i.GetProperty("id").GetString() == instance && i.GetProperty("function").GetString() == "cls" && i.GetProperty("version").GetInt32() == 1));
            },
            "the instance listed under its node", TimeSpan.FromSeconds(10));
        JsonElement cluster = await _server.Client.GetFromJsonAsync<JsonElement>("/v1/cluster");
        Assert.Equal(3, cluster.GetProperty("nats").GetArrayLength());
    }
}
