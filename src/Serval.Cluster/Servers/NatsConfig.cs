using System.Text;

namespace Serval.Cluster.Servers;

/// <summary>
/// The config of one server of a local cluster: JetStream on, everything on loopback, routes to every
/// server of the cluster (its own route is ignored by nats-server), a port for edge leaf nodes.
/// </summary>
public static class NatsConfig
{
    /// <summary>The config text for server <paramref name="name"/> among <paramref name="all"/>.</summary>
    public static string For(string name, NatsPorts ports, IReadOnlyList<NatsPorts> all, string storeDir)
    {
        var text = new StringBuilder();
        text.AppendLine($"server_name: {name}");
        text.AppendLine($"listen: 127.0.0.1:{ports.Client}");
        text.AppendLine($"http: 127.0.0.1:{ports.Http}");
        text.AppendLine($"jetstream {{ store_dir: \"{storeDir}\" }}");
        if (all.Count > 1)
        {
            string routes = string.Join(", ", all.Select(p => $"nats-route://127.0.0.1:{p.Cluster}"));
            text.AppendLine($"cluster {{ name: serval, listen: 127.0.0.1:{ports.Cluster}, routes: [{routes}] }}");
        }

        text.AppendLine($"leafnodes {{ listen: 127.0.0.1:{ports.Leaf} }}");
        return text.ToString();
    }
}
