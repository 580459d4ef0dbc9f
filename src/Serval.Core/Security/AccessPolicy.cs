namespace Serval.Core.Security;

/// <summary>
/// The authorization decision, pure: a key, the time, the scope a call needs and the function it
/// touches in; allow or deny with the reason out. Order: expiry (401), then admin (covers all),
/// then the scope (403 naming it), then the function (403 naming it and the key's patterns).
/// A null function means "any one": the call names none yet (a listing, a deploy before its spec is
/// read), so only the scope is checked and the endpoint asks again once it knows the function.
/// </summary>
public static class AccessPolicy
{
    /// <summary>Decides whether <paramref name="key"/> may make a call needing <paramref name="required"/> on <paramref name="function"/> at <paramref name="now"/>.</summary>
    public static AccessDecision Decide(ApiKey key, DateTimeOffset now, Scope required, string? function)
    {
        if (key.Expires is { } expires && now >= expires)
        {
            return AccessDecision.Unauthenticated($"key {key.Id} expired at {expires:yyyy-MM-dd HH:mm:ss}Z: create a new one (serval keys create)");
        }

        if (key.Scopes.HasFlag(Scope.Admin) || required == Scope.None)
        {
            return AccessDecision.Allow;
        }

        if (!key.Scopes.HasFlag(required))
        {
            string has = key.Scopes == Scope.None ? "no scope" : $"scope {Scopes.Name(key.Scopes)}";
            return new AccessDecision(false, 403, $"key {key.Id} lacks scope {Scopes.Name(required)} (it has {has})", MissingScope: required);
        }

        if (function is not null && !key.Covers(function))
        {
            return new AccessDecision(false, 403, $"key {key.Id} does not cover function '{function}' (it covers {string.Join(", ", key.Functions)})", Function: function);
        }

        return AccessDecision.Allow;
    }
}
