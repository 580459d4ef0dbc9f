namespace Serval.Core.Security;

/// <summary>Whether a call may go on; when not, its status (401 or 403) and a reason naming what was missing.</summary>
/// <param name="Allowed">True to go on.</param>
/// <param name="Status">401 (no valid key), 403 (a key outside its grant); 0 when allowed.</param>
/// <param name="Reason">Why not, for the error body and the audit log; empty when allowed.</param>
/// <param name="MissingScope">The scope the key lacks (403 for a scope).</param>
/// <param name="Function">The function the key does not cover (403 for a function).</param>
public sealed record AccessDecision(bool Allowed, int Status, string Reason, Scope? MissingScope = null, string? Function = null)
{
    /// <summary>Go on.</summary>
    public static readonly AccessDecision Allow = new(true, 0, "");

    /// <summary>A 401 with <paramref name="reason"/>.</summary>
    public static AccessDecision Unauthenticated(string reason) => new(false, 401, reason);
}
