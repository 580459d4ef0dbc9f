using Serval.Cluster.Leadership;
using Serval.Cluster.Membership;
using Serval.Cluster.Nodes;
using Serval.Node.Instances;

namespace Serval.Server.Cluster;

/// <summary>The cluster's loops in this process: the node watch, the placer's sweep, the election, the node agent.</summary>
public sealed class ClusterLoops(IServiceProvider services) : BackgroundService
{
    private NodeAgent? _agent;
    private Leadership? _leadership;

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = new List<Task> { services.GetRequiredService<NodeTable>().RunAsync(stoppingToken) };
        if (services.GetService<ClusterPlacer>() is { } placer)
        {
            var supervisor = services.GetRequiredService<InstanceSupervisor>();
            placer.Draining += placed =>
            {
                if (supervisor.Instances.FirstOrDefault(i => i.Id == placed.InstanceId) is { } instance)
                {
                    _ = supervisor.StopAsync(instance, $"node {placed.Node} is draining");
                }
            };
            loops.Add(placer.SweepAsync(TimeSpan.FromMilliseconds(250), stoppingToken));
        }

        if ((_leadership = services.GetService<Leadership>()) is { } leadership)
        {
            loops.Add(leadership.RunAsync(stoppingToken));
        }

        if ((_agent = services.GetService<NodeAgent>()) is { } agent)
        {
            agent.Start();
        }

        try
        {
            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <inheritdoc/>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_leadership is not null)
        {
            await _leadership.ResignAsync(cancellationToken).ConfigureAwait(false);
        }

        if (_agent is not null)
        {
            await _agent.DisposeAsync().ConfigureAwait(false);
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }
}
