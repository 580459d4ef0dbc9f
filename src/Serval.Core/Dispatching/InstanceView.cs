namespace Serval.Core.Dispatching;

/// <summary>What the dispatch policies see of one ready instance of a version.</summary>
/// <param name="InFlight">Invocations running on it now.</param>
/// <param name="Provisioned">One of the provisioned minimum: served first, retired last.</param>
/// <param name="Serving">Ready, with a connection not seen broken: it may take a request.</param>
/// <param name="LastUsed">When its last invocation ended (when it became ready, before any).</param>
public readonly record struct InstanceView(int InFlight, bool Provisioned, bool Serving, DateTimeOffset LastUsed)
{
    /// <summary>True when nothing runs on it and it is not one of the provisioned minimum: it may be let go.</summary>
    public bool IdleOnDemand => InFlight == 0 && !Provisioned;
}
