namespace Serval.Node.Instances;

/// <summary>An instance's lifecycle: <c>Starting → Ready → Draining → Stopped</c>, or <c>Failed</c>.</summary>
public enum InstanceState
{
    /// <summary>The process is starting and loading its model.</summary>
    Starting,
    /// <summary>Loaded, warmed up and serving.</summary>
    Ready,
    /// <summary>Admits nothing new; finishing what it holds.</summary>
    Draining,
    /// <summary>Stopped on purpose.</summary>
    Stopped,
    /// <summary>Failed to start, crashed, or was killed.</summary>
    Failed,
}
