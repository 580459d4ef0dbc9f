using System.Net.Sockets;
using Serval.Core.Wire;

namespace Serval.Instance.Pooling;

/// <summary>What a pooled process was given: its function, the listener it was pooled on, and the connection the assignment came on.</summary>
/// <param name="Config">The function to load; its socket path is the pool's.</param>
/// <param name="Listener">The listening socket at the pool's path, which the instance goes on serving.</param>
/// <param name="Connection">The node agent's connection, which becomes the instance's first connection.</param>
/// <param name="ReceivedAt">When the assignment arrived (a <see cref="TimeProvider"/> timestamp), where the instance's start is counted from.</param>
internal sealed record Assignment(InstanceConfig Config, Socket Listener, Socket Connection, long ReceivedAt);
