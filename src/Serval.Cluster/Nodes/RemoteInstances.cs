using NATS.Client.Core;
using Serval.Cluster.Connection;
using Serval.Cluster.Membership;
using Serval.Core.Placement;
using Serval.Node.Relay;

namespace Serval.Cluster.Nodes;

/// <summary>
/// The controller's hands on the nodes: it places an instance with the <see cref="Scheduler"/> over
/// the nodes ready now, orders the chosen node to start it, and connects to it through the node's
/// relay. Placements are made one at a time, each seeing the reservations of the one before (the
/// node's answer carries its report), so two at once never take the same last core.
/// </summary>
public sealed class RemoteInstances(ClusterConnection cluster, NodeTable nodes)
{
    private readonly SemaphoreSlim _placing = new(1, 1);

    /// <summary>How long a node may take to start an instance (fetching its artifacts included).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Places and starts one instance; a <see cref="ClusterException"/> says why when no node can or the node refused.</summary>
    public async Task<RemoteInstance> StartAsync(PlacementRequest request, StartOrder order, CancellationToken cancellationToken)
    {
        string node;
        NodeReply reply;
        await _placing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            PlacementChoice choice = Scheduler.Place(request, nodes.Ready().Select(n => n.Offer()).ToArray());
            node = choice.Node ?? throw new ClusterException(choice.Reason!);
            reply = await AskAsync(node, NodeSubjects.Start(node), Json.Bytes(order), StartTimeout, cancellationToken).ConfigureAwait(false);
            if (reply.Report is { } report)
            {
                nodes.Note(report);
            }
        }
        finally
        {
            _placing.Release();
        }

        if (reply.Error is { } error || reply.InstanceId is null)
        {
            throw new ClusterException($"node {node} could not start {request.Version}: {reply.Error ?? "no instance id in its answer"}");
        }

        NodeView view = nodes.Snapshot().Single(n => n.Report.Id == node);
        Uri relay = new(view.Report.Url);
        var connection = await RelayClient.ConnectAsync(relay.Host, relay.Port, reply.InstanceId, cancellationToken).ConfigureAwait(false);
        return new RemoteInstance(node, reply.InstanceId, connection);
    }

    /// <summary>Orders <paramref name="instance"/>'s node to stop it (drained there), and closes the connection.</summary>
    public async Task StopAsync(RemoteInstance instance, string reason, CancellationToken cancellationToken)
    {
        try
        {
            NodeReply reply = await AskAsync(instance.Node, NodeSubjects.Stop(instance.Node), Json.Bytes(new StopOrder(instance.InstanceId, reason)), TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            if (reply.Report is { } report)
            {
                nodes.Note(report);
            }
        }
        finally
        {
            await instance.Connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task<NodeReply> AskAsync(string node, string subject, byte[] body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            NatsMsg<byte[]> answer = await cluster.Nats.RequestAsync<byte[], byte[]>(subject, body, replyOpts: new NatsSubOpts { Timeout = timeout }, cancellationToken: cancellationToken).ConfigureAwait(false);
            return Json.Read<NodeReply>(answer.Data) ?? throw new ClusterException($"node {node} answered {subject} with something that is not a reply");
        }
        catch (NatsNoRespondersException e)
        {
            throw new ClusterException($"node {node} does not answer (no agent listens on {subject}): it is down or cut off", e);
        }
        catch (NatsNoReplyException e)
        {
            throw new ClusterException($"node {node} did not answer {subject} within {timeout.TotalSeconds:0} s", e);
        }
    }
}
