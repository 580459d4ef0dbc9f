using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Serval.Node.Relay;

/// <summary>
/// How a gateway on another machine reaches this node's instances: a TCP listener that, for each
/// connection, reads one line naming an instance (<c>SERVAL-RELAY ID</c>), connects to that
/// instance's Unix socket, answers <c>OK</c> (or <c>ERR reason</c>) and from then on copies bytes
/// both ways. The instance protocol runs end to end unchanged — the same frames, multiplexed by
/// invocation id on one long-lived connection, cancel frames included — so the node never decodes
/// or re-encodes a tensor. That is why it is a framed TCP connection and not HTTP/2: HTTP/2 would be
/// a second codec and per-call headers for what one socket splice does; the gateway keeps one
/// connection per remote instance, as it does per local one.
/// </summary>
public sealed class InstanceRelay : IAsyncDisposable
{
    /// <summary>The first line a client sends, before the instance id.</summary>
    public const string Hello = "SERVAL-RELAY ";

    private readonly Socket _listener;
    private readonly Func<string, string?> _socketOf;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _open;

    /// <summary>Listens on <paramref name="endpoint"/>; <paramref name="socketOf"/> gives a ready instance's socket path by id (null: no such instance).</summary>
    public InstanceRelay(IPEndPoint endpoint, Func<string, string?> socketOf, ILogger logger)
    {
        _socketOf = socketOf;
        _logger = logger;
        _listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(endpoint);
        _listener.Listen(512);
        _accepting = AcceptAsync();
    }

    /// <summary>Where it listens (the port chosen when 0 was asked).</summary>
    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>Connections being relayed now.</summary>
    public int Open => Volatile.Read(ref _open);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            client.NoDelay = true;
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        Interlocked.Increment(ref _open);
        Socket? instance = null;
        try
        {
            string? hello = await ReadLineAsync(client, _stop.Token).ConfigureAwait(false);
            if (hello is null || !hello.StartsWith(Hello, StringComparison.Ordinal))
            {
                await AnswerAsync(client, $"ERR expected '{Hello}ID', got '{Shorten(hello)}'").ConfigureAwait(false);
                return;
            }

            string id = hello[Hello.Length..];
            if (_socketOf(id) is not { } path)
            {
                await AnswerAsync(client, $"ERR no ready instance {id} on this node").ConfigureAwait(false);
                return;
            }

            instance = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await instance.ConnectAsync(new UnixDomainSocketEndPoint(path), _stop.Token).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                await AnswerAsync(client, $"ERR instance {id} does not answer: {e.Message}").ConfigureAwait(false);
                return;
            }

            await AnswerAsync(client, "OK").ConfigureAwait(false);

            // Either side closing ends both: a gateway gone frees the instance's connection, an
            // instance gone tells the gateway at once (its connection breaks, as a local one would).
            Task up = CopyAsync(client, instance);
            Task down = CopyAsync(instance, client);
            await Task.WhenAny(up, down).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            _logger.LogDebug("relay connection ended: {Error}", e.Message);
        }
        finally
        {
            instance?.Dispose();
            client.Dispose();
            Interlocked.Decrement(ref _open);
        }
    }

    private async Task CopyAsync(Socket from, Socket to)
    {
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            while (true)
            {
                int n = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (n == 0)
                {
                    return;
                }

                int sent = 0;
                while (sent < n)
                {
                    sent += await to.SendAsync(buffer.AsMemory(sent, n - sent), SocketFlags.None, _stop.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            try
            {
                to.Shutdown(SocketShutdown.Both);
                from.Shutdown(SocketShutdown.Both);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>Reads one line (up to 512 bytes) byte by byte, so nothing after it is consumed.</summary>
    public static async Task<string?> ReadLineAsync(Socket socket, CancellationToken cancellationToken)
    {
        byte[] one = new byte[1];
        var line = new List<byte>();
        while (line.Count < 512)
        {
            if (await socket.ReceiveAsync(one, SocketFlags.None, cancellationToken).ConfigureAwait(false) == 0)
            {
                return null;
            }

            if (one[0] == '\n')
            {
                return Encoding.UTF8.GetString(line.ToArray());
            }

            line.Add(one[0]);
        }

        return Encoding.UTF8.GetString(line.ToArray());
    }

    private static async Task AnswerAsync(Socket client, string line) =>
        await client.SendAsync(Encoding.UTF8.GetBytes(line + "\n"), SocketFlags.None).ConfigureAwait(false);

    private static string Shorten(string? text) => text is null ? "" : text.Length > 60 ? text[..60] + "..." : text;

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Dispose();
        await _accepting.ConfigureAwait(false);
        _stop.Dispose();
    }
}
