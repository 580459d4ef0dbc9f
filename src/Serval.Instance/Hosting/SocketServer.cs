using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Serval.Instance.Logging;

namespace Serval.Instance.Hosting;

/// <summary>
/// Listens on the instance's Unix socket and runs a <see cref="Connection"/> per accepted client
/// (normally one: the node agent).
/// </summary>
internal sealed class SocketServer(string socketPath, Invoker invoker, TimeProvider time, ILogger logger)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Connection, Task> _connections = [];
    private Socket? _listener;
    private bool _closed;

    /// <summary>Binds and listens, replacing a stale socket file left by an earlier process.</summary>
    public void Listen()
    {
        if (File.Exists(socketPath))
        {
            File.Delete(socketPath);
        }

        if (Path.GetDirectoryName(Path.GetFullPath(socketPath)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(socketPath));
            listener.Listen(64);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        _listener = listener;
    }

    /// <summary>Accepts connections until <see cref="StopAccepting"/>.</summary>
    public async Task AcceptAsync()
    {
        Socket listener = _listener ?? throw new InvalidOperationException("Listen() first");
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            var connection = new Connection(socket, invoker, time, logger);
            lock (_lock)
            {
                if (_closed)
                {
                    connection.Dispose();
                    return;
                }

                _connections[connection] = ServeAsync(connection);
            }
        }
    }

    /// <summary>Closes the listening socket; connections already open stay open.</summary>
    public void StopAccepting() => _listener?.Dispose();

    /// <summary>Cancels every invocation in flight on every connection.</summary>
    public void StopInvocations(StopReason reason)
    {
        foreach (Connection connection in Snapshot().Keys)
        {
            connection.StopAll(reason);
        }
    }

    /// <summary>Closes every connection, waits for their read loops, and removes the socket file.</summary>
    public async Task CloseAsync()
    {
        StopAccepting();
        Dictionary<Connection, Task> connections;
        lock (_lock)
        {
            _closed = true;
            connections = new Dictionary<Connection, Task>(_connections);
        }

        foreach (var (connection, _) in connections)
        {
            connection.Dispose();
        }

        await Task.WhenAll(connections.Values).ConfigureAwait(false);
        try
        {
            File.Delete(socketPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next process on this path, which replaces it.
        }
    }

    private Dictionary<Connection, Task> Snapshot()
    {
        lock (_lock)
        {
            return new Dictionary<Connection, Task>(_connections);
        }
    }

    private async Task ServeAsync(Connection connection)
    {
        await Task.Yield();
        Log.ConnectionOpened(logger, connection.Number);
        await connection.RunAsync().ConfigureAwait(false);
        Log.ConnectionClosed(logger, connection.Number);
        connection.Dispose();
        lock (_lock)
        {
            _connections.Remove(connection);
        }
    }
}
