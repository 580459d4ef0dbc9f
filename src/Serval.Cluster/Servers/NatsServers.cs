using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Serval.Node.Processes;

namespace Serval.Cluster.Servers;

/// <summary>
/// A NATS JetStream cluster on this machine: <c>count</c> <c>nats-server</c> processes (three for
/// R3) on loopback ports, their configs and stores under one folder. What <c>serval up --cluster</c>
/// and the cluster tests run; a real install runs one server per machine from its own config.
/// </summary>
public sealed class NatsServers : IAsyncDisposable
{
    private NatsServers(IReadOnlyList<NatsServer> servers) => Servers = servers;

    /// <summary>The servers.</summary>
    public IReadOnlyList<NatsServer> Servers { get; }

    /// <summary>Every client URL, comma-separated, as <c>--nats</c> takes them.</summary>
    public string Urls => string.Join(",", Servers.Select(s => s.Url));

    /// <summary>The <c>nats-server</c> executable: on the PATH or where Debian puts it; null when not installed.</summary>
    public static string? Executable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin").Append("/usr/bin")
            .Select(dir => Path.Combine(dir, "nats-server"))
            .FirstOrDefault(File.Exists);

    /// <summary>
    /// Starts <paramref name="count"/> servers with their stores under <paramref name="root"/> and
    /// waits until JetStream has a meta leader (about a second here).
    /// </summary>
    public static async Task<NatsServers> StartAsync(string root, int count, IProcessLauncher launcher, Action<string>? log = null, CancellationToken cancellationToken = default)
    {
        string executable = Executable() ?? throw new InvalidOperationException("nats-server is not installed: apt-get install -y nats-server");
        Directory.CreateDirectory(root);
        NatsPorts[] ports = Enumerable.Range(0, count).Select(_ => new NatsPorts(FreePort(), FreePort(), FreePort(), FreePort())).ToArray();
        var servers = new List<NatsServer>();
        for (int i = 0; i < count; i++)
        {
            string name = $"n{i + 1}";
            string config = Path.Combine(root, $"{name}.conf");
            await File.WriteAllTextAsync(config, NatsConfig.For(name, ports[i], ports, Path.Combine(root, name)), cancellationToken).ConfigureAwait(false);
            var request = new ProcessStartRequest(
                executable, ["-c", config], new Dictionary<string, string>(), root,
                line => log?.Invoke($"{name}: {line}"), line => log?.Invoke($"{name}: {line}"));
            servers.Add(new NatsServer(name, ports[i], config, () => launcher.Start(request)));
        }

        var cluster = new NatsServers(servers);
        try
        {
            await cluster.WaitReadyAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return cluster;
    }

    /// <summary>Waits until every running server reports JetStream up and, in a cluster, a meta leader.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        string? last = null;
        while (true)
        {
            bool ready = true;
            foreach (NatsServer server in Servers.Where(s => s.Running))
            {
                (bool up, string why) = await ProbeAsync(http, server, Servers.Count > 1, deadline.Token).ConfigureAwait(false);
                if (!up)
                {
                    (ready, last) = (false, why);
                    break;
                }
            }

            if (ready)
            {
                return;
            }

            try
            {
                await Task.Delay(100, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"the NATS servers were not ready within {timeout.TotalSeconds:0} s: {last}");
            }
        }
    }

    private static async Task<(bool Up, string Why)> ProbeAsync(HttpClient http, NatsServer server, bool clustered, CancellationToken cancellationToken)
    {
        try
        {
            using JsonDocument jsz = JsonDocument.Parse(await http.GetStringAsync($"{server.MonitorUrl}/jsz", cancellationToken).ConfigureAwait(false));
            if (!clustered)
            {
                return (true, "");
            }

            return jsz.RootElement.TryGetProperty("meta_cluster", out JsonElement meta) && meta.TryGetProperty("leader", out JsonElement leader) && leader.GetString() is { Length: > 0 }
                ? (true, "")
                : (false, $"{server.Name} has no JetStream meta leader yet");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (false, $"{server.Name} at {server.MonitorUrl} does not answer: {e.Message}");
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Servers.Select(s => s.StopAsync())).ConfigureAwait(false);
    }

    // Ports below Linux's ephemeral range (32768-60999), free when asked and never handed out twice
    // by this process. A port the OS picks (bind to 0) comes from that range, where the servers' own
    // outbound route connections take their local ports too: a cluster starting beside another
    // could find its port taken by one of them before it binds.
    private static int _nextPort = 20000 + Random.Shared.Next(0, 10000);

    private static int FreePort()
    {
        for (int tries = 0; tries < 2000; tries++)
        {
            int port = Interlocked.Increment(ref _nextPort);
            if (port >= 32000)
            {
                Interlocked.CompareExchange(ref _nextPort, 20000, port);
                continue;
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("no free port between 20000 and 32000 on 127.0.0.1");
    }
}
