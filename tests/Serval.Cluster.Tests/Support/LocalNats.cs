using Microsoft.Extensions.Logging.Abstractions;
using Serval.Cluster;
using Serval.Cluster.Connection;
using Serval.Cluster.Servers;
using Serval.Node.Processes;

namespace Serval.Cluster.Tests.Support;

/// <summary>
/// A real three-server NATS JetStream cluster on 127.0.0.1 (Debian's nats-server), its stores in a
/// temporary folder, started for a test class and removed after it.
/// </summary>
public sealed class LocalNats : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"serval-nats-{Guid.NewGuid():N}"[..24]);
    private readonly List<ClusterConnection> _connections = [];
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new();

    /// <summary>The servers.</summary>
    public NatsServers Servers { get; private set; } = null!;

    /// <summary>What the servers printed (for a failure's message).</summary>
    public string Log => string.Join('\n', _log.TakeLast(40));

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        Servers = await NatsServers.StartAsync(_root, 3, new OsProcessLauncher(TimeProvider.System), line => _log.Enqueue(line));
    }

    /// <summary>A new connection to the cluster (closed with the fixture).</summary>
    public async Task<ClusterConnection> ConnectAsync(string name = "test")
    {
        ClusterConnection connection = await ClusterConnection.ConnectAsync(Servers.Urls, name, TimeSpan.FromSeconds(5));
        lock (_connections)
        {
            _connections.Add(connection);
        }

        return connection;
    }

    /// <summary>A bucket made for one test (its own name, R3).</summary>
    public async Task<NATS.Client.KeyValueStore.INatsKVStore> BucketAsync(ClusterConnection connection, string prefix) =>
        await Buckets.KeyValueAsync(connection, $"{prefix}-{Guid.NewGuid():N}"[..20], replicas: 3);

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        foreach (ClusterConnection connection in _connections)
        {
            await connection.DisposeAsync();
        }

        await Servers.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A logger that drops everything.</summary>
    public static NullLogger Quiet => NullLogger.Instance;
}
