using Serval.Node.Processes;

namespace Serval.Cluster.Servers;

/// <summary>The ports one <c>nats-server</c> listens on, all on 127.0.0.1.</summary>
/// <param name="Client">Clients (<c>nats://</c>).</param>
/// <param name="Http">The monitoring endpoint (<c>/jsz</c>, <c>/healthz</c>).</param>
/// <param name="Cluster">Routes between the cluster's servers.</param>
/// <param name="Leaf">Leaf nodes (edge regions) connecting in.</param>
public sealed record NatsPorts(int Client, int Http, int Cluster, int Leaf);

/// <summary>One running <c>nats-server</c> of a local cluster, with the config it was started from.</summary>
public sealed class NatsServer
{
    private readonly Func<IRunningProcess> _start;
    private IRunningProcess _process;

    internal NatsServer(string name, NatsPorts ports, string configPath, Func<IRunningProcess> start)
    {
        Name = name;
        Ports = ports;
        ConfigPath = configPath;
        _start = start;
        _process = start();
    }

    /// <summary>Its <c>server_name</c>: n1, n2, n3.</summary>
    public string Name { get; }

    /// <summary>Its ports.</summary>
    public NatsPorts Ports { get; }

    /// <summary>Its config file.</summary>
    public string ConfigPath { get; }

    /// <summary>The client URL.</summary>
    public string Url => $"nats://127.0.0.1:{Ports.Client}";

    /// <summary>The monitoring URL.</summary>
    public string MonitorUrl => $"http://127.0.0.1:{Ports.Http}";

    /// <summary>The OS process id.</summary>
    public int Pid => _process.Pid;

    /// <summary>Whether the process is running.</summary>
    public bool Running => !_process.Exited.IsCompleted;

    /// <summary>Stops it at once (SIGKILL), as a crashed machine would.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.Exited.ConfigureAwait(false);
        _process.Dispose();
    }

    /// <summary>Starts it again from the same config and store (after <see cref="KillAsync"/>).</summary>
    public void Restart()
    {
        if (Running)
        {
            throw new InvalidOperationException($"nats-server {Name} is running");
        }

        _process = _start();
    }

    internal async Task StopAsync()
    {
        if (Running)
        {
            _process.Terminate();
            if (await Task.WhenAny(_process.Exited, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false) != _process.Exited)
            {
                _process.Kill();
            }
        }

        _process.Dispose();
    }
}
