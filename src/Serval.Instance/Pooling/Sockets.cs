using System.Net.Sockets;

namespace Serval.Instance.Pooling;

/// <summary>Socket reads the pool's code needs before a <see cref="Hosting.Connection"/> takes over.</summary>
internal static class Sockets
{
    /// <summary>Fills <paramref name="buffer"/>; <see cref="EndOfStreamException"/> when the peer closes first.</summary>
    public static async Task ReceiveExactlyAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await socket.ReceiveAsync(buffer[read..], SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new EndOfStreamException($"the connection closed after {read} of {buffer.Length} bytes");
            }

            read += n;
        }
    }
}
