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
    public void Listen() => _listener = Bind(socketPath);

    /// <summary>Serves on a listener already bound to the socket path (a pooled instance's, see <see cref="Bind"/>).</summary>
    public void Listen(Socket listener) => _listener = listener;

    /// <summary>A listening Unix socket at <paramref name="path"/>, replacing a stale socket file and creating its folder.</summary>
    public static Socket Bind(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(64);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        return listener;
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

            if (!Serve(socket))
            {
                return;
            }
        }
    }

    /// <summary>Serves a connection accepted elsewhere (the one that brought a pooled instance its assignment); false once closed.</summary>
    public bool Serve(Socket socket)
    {
        var connection = new Connection(socket, invoker, time, logger);
        lock (_lock)
        {
            if (_closed)
            {
                connection.Dispose();
                return false;
            }

            _connections[connection] = ServeAsync(connection);
            return true;
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
