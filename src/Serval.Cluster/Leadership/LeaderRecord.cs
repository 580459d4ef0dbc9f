namespace Serval.Cluster.Leadership;

/// <summary>The leader key's value: who leads, and where.</summary>
/// <param name="Id">The controller's id.</param>
/// <param name="Pid">Its OS process id.</param>
/// <param name="Host">Its host name.</param>
public sealed record LeaderRecord(string Id, int Pid, string Host);
