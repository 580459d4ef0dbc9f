using System.Net.Sockets;
using System.Text;
using Serval.Node.Instances;

namespace Serval.Node.Relay;

/// <summary>A gateway's end of <see cref="InstanceRelay"/>: one connection to an instance on another node.</summary>
public static class RelayClient
{
    /// <summary>
    /// Connects to the relay at <paramref name="host"/>:<paramref name="port"/> for instance
    /// <paramref name="instanceId"/>; the connection then speaks the instance protocol as a local
    /// one does. A relay that refuses (no such instance) is an <see cref="IOException"/> with its reason.
    /// </summary>
    public static async Task<InstanceConnection> ConnectAsync(string host, int port, string instanceId, CancellationToken cancellationToken, Func<string, Task<string>>? explain = null, TimeProvider? time = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            await socket.SendAsync(Encoding.UTF8.GetBytes(InstanceRelay.Hello + instanceId + "\n"), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            string? answer = await InstanceRelay.ReadLineAsync(socket, cancellationToken).ConfigureAwait(false);
            if (answer != "OK")
            {
                throw new IOException(answer is { Length: > 4 } && answer.StartsWith("ERR ", StringComparison.Ordinal)
                    ? $"node {host}:{port}: {answer[4..]}"
                    : $"node {host}:{port} closed the relay connection for {instanceId}");
            }

            return InstanceConnection.Adopt(socket, explain, time);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
