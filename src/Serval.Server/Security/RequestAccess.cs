using Serval.Core.Security;

namespace Serval.Server.Security;

/// <summary>
/// The caller of one request, as the access middleware found it, and the checks endpoints make once
/// they know the function (a deploy's spec name, a routed target, an invocation's function).
/// With auth off every check allows.
/// </summary>
public static class RequestAccess
{
    private static readonly object KeyItem = new();
    private static readonly object TargetItem = new();
    private static readonly object RefusalItem = new();

    /// <summary>The request's key; null with auth off.</summary>
    public static ApiKey? KeyOf(HttpContext context) => context.Items.TryGetValue(KeyItem, out object? key) ? (ApiKey?)key : null;

    /// <summary>Sets the request's key (the middleware, after authenticating it).</summary>
    public static void SetKey(HttpContext context, ApiKey key) => context.Items[KeyItem] = key;

    /// <summary>Names the target of an audited action when the route does not (a deploy's function, a new key's id).</summary>
    public static void SetTarget(HttpContext context, string target) => context.Items[TargetItem] = target;

    /// <summary>The target an endpoint named, or null.</summary>
    public static string? TargetOf(HttpContext context) => context.Items.TryGetValue(TargetItem, out object? target) ? (string?)target : null;

    /// <summary>Why an endpoint refused the call, for the audit log; null when it did not.</summary>
    public static string? RefusalOf(HttpContext context) => context.Items.TryGetValue(RefusalItem, out object? reason) ? (string?)reason : null;

    /// <summary>Whether the request's key may use <paramref name="scope"/> on <paramref name="function"/> now.</summary>
    public static AccessDecision Check(HttpContext context, Scope scope, string function)
    {
        if (KeyOf(context) is not { } key)
        {
            return AccessDecision.Allow;
        }

        AccessDecision decision = AccessPolicy.Decide(key, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), scope, function);
        if (!decision.Allowed)
        {
            context.Items[RefusalItem] = decision.Reason;
        }

        return decision;
    }

    /// <summary>True when the request's key covers <paramref name="function"/> (for filtering listings).</summary>
    public static bool Covers(HttpContext context, string function) => KeyOf(context) is not { } key || key.CoversAll || key.Covers(function);

    /// <summary>The 403 of a refused <see cref="Check"/>, as an <see cref="IResult"/>.</summary>
    public static IResult Denied(AccessDecision decision) => new DeniedResult(decision);

    private sealed class DeniedResult(AccessDecision decision) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => Denials.WriteAsync(httpContext, decision);
    }
}
