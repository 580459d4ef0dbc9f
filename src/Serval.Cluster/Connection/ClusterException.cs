namespace Serval.Cluster.Connection;

/// <summary>A cluster fault said in words a user can act on: which NATS URL, what it answered.</summary>
public sealed class ClusterException(string message, Exception? inner = null) : Exception(message, inner);
