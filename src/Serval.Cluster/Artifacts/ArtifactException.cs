namespace Serval.Cluster.Artifacts;

/// <summary>An artifact that cannot be had: missing from the store, or not the bytes its digest names.</summary>
public sealed class ArtifactException(string message, Exception? inner = null) : Exception(message, inner);
