using Serval.Node.Instances;

namespace Serval.Cluster.Nodes;

/// <summary>An instance running on a node agent, and a gateway's connection to it through the node's relay.</summary>
/// <param name="Node">The node it runs on.</param>
/// <param name="InstanceId">Its id.</param>
/// <param name="Connection">The instance protocol over the relay.</param>
public sealed record RemoteInstance(string Node, string InstanceId, InstanceConnection Connection);
