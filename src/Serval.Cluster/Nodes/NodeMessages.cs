using Serval.Cluster.Membership;
using Serval.Node.Packages;

namespace Serval.Cluster.Nodes;

/// <summary>The subjects a node agent answers on.</summary>
public static class NodeSubjects
{
    /// <summary>Start an instance (<see cref="StartOrder"/> → <see cref="NodeReply"/>).</summary>
    public static string Start(string node) => $"serval.node.{node}.start";

    /// <summary>Stop an instance (<see cref="StopOrder"/> → <see cref="NodeReply"/>).</summary>
    public static string Stop(string node) => $"serval.node.{node}.stop";
}

/// <summary>Start one instance: its config (the node fills in the package folder and socket) and the package's files.</summary>
/// <param name="Config">The instance config as JSON (<c>InstanceConfig.ToJson</c>).</param>
/// <param name="Files">The package's files, fetched by digest into the node's cache.</param>
public sealed record StartOrder(string Config, IReadOnlyList<PackageFile> Files);

/// <summary>Stop one instance.</summary>
/// <param name="InstanceId">Its id.</param>
/// <param name="Reason">Why (logged by the node).</param>
public sealed record StopOrder(string InstanceId, string Reason);

/// <summary>A node agent's answer: done (with its report after it) or why not.</summary>
/// <param name="InstanceId">The instance started or stopped.</param>
/// <param name="Error">Why it could not, or null.</param>
/// <param name="Report">The node's heartbeat as of the answer, so the scheduler sees the reservation at once.</param>
public sealed record NodeReply(string? InstanceId, string? Error, NodeReport? Report);
