using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.KeyValueStore;
using Serval.Cluster.Artifacts;
using Serval.Cluster.Connection;
using Serval.Cluster.Membership;
using Serval.Core.Wire;
using Serval.Node;
using Serval.Node.Capacity;
using Serval.Node.Instances;
using Serval.Node.Packages;
using Serval.Node.Processes;
using Serval.Node.Relay;

namespace Serval.Cluster.Nodes;

/// <summary>
/// A node of the cluster: it heartbeats what it has and runs into <see cref="Buckets.Nodes"/>, starts
/// and stops instances when the controller asks (request-reply on <see cref="NodeSubjects"/>), fetching
/// each package file into its artifact cache first, and serves its instances to gateways through its
/// <see cref="InstanceRelay"/>. The supervisor is the all-in-one node's, unchanged.
/// </summary>
public sealed class NodeAgent : IAsyncDisposable
{
    private readonly ClusterConnection _cluster;
    private readonly NodeAgentOptions _options;
    private readonly ArtifactCache _artifacts;
    private readonly PackageCache _packages;
    private readonly HeartbeatPublisher _heartbeat;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private long _sequence;

    /// <summary>Creates the agent (nothing runs until <see cref="Start"/>).</summary>
    public NodeAgent(ClusterConnection cluster, INatsKVStore nodes, ArtifactStore store, NodeAgentOptions options, NodeCapacity capacity, IProcessLauncher launcher, TimeProvider time, ILoggerFactory logs)
    {
        _cluster = cluster;
        _options = options;
        _logger = logs.CreateLogger<NodeAgent>();
        string data = Path.GetFullPath(options.DataDirectory);
        _artifacts = new ArtifactCache(Path.Combine(data, "blobs"), store);
        _packages = new PackageCache(Path.Combine(data, "packages"), _artifacts.PathOf);
        var node = new NodeOptions { RunDirectory = Path.Combine(data, "run"), SocketDirectory = Path.Combine(data, "s") };
        Supervisor = new InstanceSupervisor(launcher, node, capacity, time, logs.CreateLogger<InstanceSupervisor>());
        SocketDirectory = node.SocketDirectory;
        Relay = new InstanceRelay(options.Relay, id => Supervisor.Instances.FirstOrDefault(i => i.Id == id && i.State == InstanceState.Ready)?.Config.SocketPath, _logger);
        _heartbeat = new HeartbeatPublisher(nodes, Report, time, _logger);
        Time = time;
    }

    /// <summary>The node's id.</summary>
    public string Id => _options.Id;

    /// <summary>Its instances.</summary>
    public InstanceSupervisor Supervisor { get; }

    /// <summary>Its relay.</summary>
    public InstanceRelay Relay { get; }

    /// <summary>Its artifact cache.</summary>
    public ArtifactCache Artifacts => _artifacts;

    private string SocketDirectory { get; }

    private TimeProvider Time { get; }

    /// <summary>The relay's address as gateways use it: <c>tcp://host:port</c>.</summary>
    public string Url => $"tcp://{_options.AdvertisedHost ?? Relay.Endpoint.Address.ToString()}:{Relay.Endpoint.Port}";

    /// <summary>Starts heartbeating and answering orders.</summary>
    public void Start()
    {
        _loops.Add(_heartbeat.RunAsync(_options.Heartbeat, _stop.Token));
        _loops.Add(ServeAsync(NodeSubjects.Start(Id), StartInstanceAsync));
        _loops.Add(ServeAsync(NodeSubjects.Stop(Id), StopInstanceAsync));
    }

    /// <summary>What the node has and runs, as its heartbeat says it.</summary>
    public NodeReport Report(DateTimeOffset sent)
    {
        NodeCapacity capacity = Supervisor.Capacity;
        return new NodeReport(
            Id,
            Environment.ProcessId,
            Url,
            _options.Labels,
            capacity.Cores,
            capacity.MemoryMb,
            Enumerable.Range(0, capacity.Gpus).Select(_ => new GpuReport(0, 0, 0)).ToArray(),
            capacity.ReservedCores,
            capacity.ReservedMemoryMb,
            Supervisor.Instances
                .Where(i => i.State is InstanceState.Starting or InstanceState.Ready or InstanceState.Draining)
                .Select(i => new InstanceReport(i.Id, i.Config.Function, i.Config.Version, i.State.ToString().ToLowerInvariant(), i.InFlight))
                .ToArray(),
            sent,
            Interlocked.Increment(ref _sequence));
    }

    private async Task ServeAsync(string subject, Func<byte[], Task<NodeReply>> handle)
    {
        await foreach (NatsMsg<byte[]> message in _cluster.Nats.SubscribeAsync<byte[]>(subject, cancellationToken: _stop.Token).ConfigureAwait(false))
        {
            _ = Task.Run(async () =>
            {
                NodeReply reply;
                try
                {
                    reply = await handle(message.Data ?? []).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    reply = new NodeReply(null, e.Message, Report(Time.GetUtcNow()));
                }

                await message.ReplyAsync(Json.Bytes(reply)).ConfigureAwait(false);
            });
        }
    }

    private async Task<NodeReply> StartInstanceAsync(byte[] body)
    {
        StartOrder order = Json.Read<StartOrder>(body) ?? throw new InvalidDataException("the start order is not JSON");
        InstanceConfig asked = InstanceConfig.FromJson(order.Config);
        foreach (PackageFile file in order.Files)
        {
            await _artifacts.EnsureAsync(file.Digest, _stop.Token).ConfigureAwait(false);
        }

        string package = _packages.Materialize(asked.Function, asked.Version, order.Files);
        InstanceConfig config = asked with
        {
            PackageDirectory = package,
            SocketPath = Path.Combine(SocketDirectory, Guid.NewGuid().ToString("N")[..12] + ".sock"),
        };
        try
        {
            Instance instance = await Supervisor.StartAsync(config, _stop.Token).ConfigureAwait(false);
            _logger.LogInformation("node {Node} started {Instance} ({Function} v{Version})", Id, instance.Id, config.Function, config.Version);
            return new NodeReply(instance.Id, null, Report(Time.GetUtcNow()));
        }
        catch (InstanceStartException e)
        {
            return new NodeReply(null, e.Message, Report(Time.GetUtcNow()));
        }
    }

    private async Task<NodeReply> StopInstanceAsync(byte[] body)
    {
        StopOrder order = Json.Read<StopOrder>(body) ?? throw new InvalidDataException("the stop order is not JSON");
        if (Supervisor.Instances.FirstOrDefault(i => i.Id == order.InstanceId) is not { } instance)
        {
            return new NodeReply(order.InstanceId, $"no instance {order.InstanceId} on node {Id}", Report(Time.GetUtcNow()));
        }

        await Supervisor.StopAsync(instance, order.Reason).ConfigureAwait(false);
        return new NodeReply(order.InstanceId, null, Report(Time.GetUtcNow()));
    }

    /// <summary>Stops everything: orders, heartbeats, the relay, the instances.</summary>
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try
        {
            await Task.WhenAll(_loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await Relay.DisposeAsync().ConfigureAwait(false);
        await Supervisor.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
