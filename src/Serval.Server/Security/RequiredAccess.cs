using Serval.Core.Security;

namespace Serval.Server.Security;

/// <summary>Where a call's function comes from, for the access check before the endpoint runs.</summary>
public enum FunctionSource
{
    /// <summary>No function: only the scope is checked (listings filter to the key's functions).</summary>
    None,

    /// <summary>The route's <c>{name}</c>.</summary>
    Route,

    /// <summary>Known only inside the endpoint (a deploy's spec, a route table, an invocation's record): the scope is checked first, the endpoint checks the function.</summary>
    Endpoint,

    /// <summary>Every function: the key must cover all (<c>*</c>), as the call shows them all.</summary>
    All,
}

/// <summary>What a call needs: a scope, where its function comes from, and the audit action it is (null: not audited).</summary>
/// <param name="Scope">The scope; <see cref="Scope.None"/> for an open endpoint.</param>
/// <param name="Function">Where the function comes from.</param>
/// <param name="AuditAction">The action's name in the audit log, for control-plane changes.</param>
public sealed record RequiredAccess(Scope Scope, FunctionSource Function, string? AuditAction = null)
{
    /// <summary>An open endpoint: no key needed (health).</summary>
    public static readonly RequiredAccess Open = new(Scope.None, FunctionSource.None) { IsOpen = true };

    /// <summary>A path no endpoint serves: any valid key, then its 404 (no key: 401, so paths are not probed without one).</summary>
    public static readonly RequiredAccess NoEndpoint = new(Scope.None, FunctionSource.None);

    /// <summary>An endpoint missing from the table: admin (closed by default).</summary>
    public static readonly RequiredAccess Unmapped = new(Scope.Admin, FunctionSource.None);

    /// <summary>True when no key is needed.</summary>
    public bool IsOpen { get; private init; }

    /// <summary>True for the control plane (deploy and admin scopes): its refusals are audited.</summary>
    public bool IsControlPlane => Scope is Scope.Deploy or Scope.Admin;
}
