using System.Net;

namespace Serval.Cluster.Nodes;

/// <summary>What a node agent is: its id and labels, where it keeps things, where its relay listens.</summary>
public sealed record NodeAgentOptions
{
    /// <summary>The node's id, unique in the cluster (default: the host name).</summary>
    public required string Id { get; init; }

    /// <summary>Its labels (<c>region</c>, <c>accelerator</c>, ...).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Its folder: the artifact cache, the packages, the instances' run files and sockets.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>Where its relay listens; port 0 picks one.</summary>
    public IPEndPoint Relay { get; init; } = new(IPAddress.Loopback, 0);

    /// <summary>The address gateways use to reach the relay (the relay's own address when null).</summary>
    public string? AdvertisedHost { get; init; }

    /// <summary>How often it heartbeats.</summary>
    public TimeSpan Heartbeat { get; init; } = TimeSpan.FromSeconds(1);
}
