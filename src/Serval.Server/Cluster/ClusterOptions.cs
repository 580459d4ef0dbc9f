namespace Serval.Server.Cluster;

/// <summary>
/// Cluster mode (<c>--nats URLS</c>): which roles this process plays and how it joins. Without
/// <c>--nats</c> the process is the all-in-one platform, with SQLite and local instances.
/// </summary>
public sealed record ClusterOptions
{
    /// <summary>The roles a process may play.</summary>
    public static readonly IReadOnlySet<string> AllRoles = new HashSet<string>(StringComparer.Ordinal) { "gateway", "controller", "node" };

    /// <summary>The NATS servers, comma-separated (<c>nats://h1:4222,nats://h2:4222</c>); null for the all-in-one platform.</summary>
    public string? Nats { get; init; }

    /// <summary>Its roles (<c>--role gateway,controller</c>); all three by default.</summary>
    public IReadOnlySet<string> Roles { get; init; } = AllRoles;

    /// <summary>The node's id, unique in the cluster (<c>--node-id</c>; default the host name).</summary>
    public string NodeId { get; init; } = Environment.MachineName;

    /// <summary>The node's labels (<c>--labels region=east,accelerator=gpu</c>).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>The port the node's relay listens on (<c>--relay-port</c>; 0 picks one).</summary>
    public int RelayPort { get; init; }

    /// <summary>The address the relay listens on and gateways use to reach it (<c>--relay-host</c>; default 127.0.0.1).</summary>
    public string RelayHost { get; init; } = "127.0.0.1";

    /// <summary>Replicas of every bucket and stream (<c>--replicas</c>; 3 for a 3-server cluster, 1 for one server).</summary>
    public int Replicas { get; init; } = 3;

    /// <summary>Whether this process is part of a cluster.</summary>
    public bool Enabled => Nats is not null;

    /// <summary>Whether it plays <paramref name="role"/>.</summary>
    public bool Plays(string role) => Roles.Contains(role);

    /// <summary>The roles in <c>--role</c>'s value; unknown ones throw naming them.</summary>
    public static IReadOnlySet<string> ParseRoles(string value)
    {
        var roles = new HashSet<string>(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);
        string[] unknown = roles.Where(r => !AllRoles.Contains(r)).ToArray();
        if (unknown.Length > 0 || roles.Count == 0)
        {
            throw new ArgumentException($"--role takes gateway, controller and node, comma-separated; got '{value}'");
        }

        return roles;
    }

    /// <summary>The labels in <c>--labels</c>'s value (<c>k=v,k=v</c>).</summary>
    public static IReadOnlyDictionary<string, string> ParseLabels(string value)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0 || eq == pair.Length - 1)
            {
                throw new ArgumentException($"--labels takes key=value pairs, comma-separated; '{pair}' is not one");
            }

            labels[pair[..eq]] = pair[(eq + 1)..];
        }

        return labels;
    }
}
