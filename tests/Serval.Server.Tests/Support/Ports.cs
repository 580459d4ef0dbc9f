using System.Net;
using System.Net.Sockets;

namespace Serval.Server.Tests.Support;

/// <summary>Loopback ports for listeners a test starts.</summary>
public static class Ports
{
    /// <summary>A port free on 127.0.0.1 a moment ago (another process may still take it: retry on a clash).</summary>
    public static int FreeLoopback()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
