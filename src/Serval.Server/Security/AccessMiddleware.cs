using Serval.Core.Security;

namespace Serval.Server.Security;

/// <summary>
/// The access layer in front of every endpoint: with auth on, the bearer key is authenticated and
/// judged by <see cref="AccessPolicy"/> against what <see cref="AccessTable"/> says the endpoint
/// needs, then its quotas are taken; control-plane actions (and refused control-plane calls) go to
/// the audit log, with auth on or off. Runs after routing, so the endpoint and its route values are known.
/// </summary>
public sealed partial class AccessMiddleware(RequestDelegate next, ServalOptions options, Keys keys, QuotaGate quotas, AuditLog audit, TimeProvider time, ILogger<AccessMiddleware> logger)
{
    private const string BearerPrefix = "Bearer ";

    // Read once: AuthEnabled parses the host on every read.
    private readonly bool _auth = options.AuthEnabled;

    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        Endpoint? endpoint = context.GetEndpoint();
        RequiredAccess access = AccessTable.For(endpoint);
        if (access.IsOpen || (!_auth && access.AuditAction is null))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (!_auth)
        {
            await NextAuditedAsync(context, access, null).ConfigureAwait(false);
            return;
        }

        string? header = context.Request.Headers.Authorization;
        if (header is null || !header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var missing = AccessDecision.Unauthenticated(header is null
                ? "no key: send Authorization: Bearer KEY (serval: --key or SERVAL_KEY)"
                : "the Authorization header is not 'Bearer KEY'");
            await RefuseAsync(context, access, null, missing, tokenGiven: false).ConfigureAwait(false);
            return;
        }

        var (key, error) = keys.Authenticate(header[BearerPrefix.Length..].Trim());
        if (key is null)
        {
            await RefuseAsync(context, access, null, AccessDecision.Unauthenticated(error!), tokenGiven: true).ConfigureAwait(false);
            return;
        }

        string? function = access.Function switch
        {
            FunctionSource.Route => context.Request.RouteValues["name"] as string,
            FunctionSource.All => "*",
            _ => null,
        };
        AccessDecision decision = AccessPolicy.Decide(key, time.GetUtcNow(), access.Scope, function);
        if (!decision.Allowed)
        {
            await RefuseAsync(context, access, key, decision, tokenGiven: true).ConfigureAwait(false);
            return;
        }

        RequestAccess.SetKey(context, key);
        if (quotas.TakeRequest(key) is { } overRate)
        {
            await RefuseAsync(context, access, key, overRate).ConfigureAwait(false);
            return;
        }

        bool counted = access.Scope == Scope.Invoke;
        if (counted && quotas.Enter(key) is { } overConcurrency)
        {
            await RefuseAsync(context, access, key, overConcurrency).ConfigureAwait(false);
            return;
        }

        try
        {
            await NextAuditedAsync(context, access, key).ConfigureAwait(false);
        }
        finally
        {
            if (counted)
            {
                quotas.Leave(key);
            }
        }
    }

    private async Task NextAuditedAsync(HttpContext context, RequiredAccess access, ApiKey? key)
    {
        if (access.AuditAction is not { } action)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        int status = 500;
        try
        {
            await next(context).ConfigureAwait(false);
            status = context.Response.StatusCode;
        }
        finally
        {
            string outcome = status switch
            {
                < 400 => "ok",
                401 or 403 or 429 => "refused: " + (RequestAccess.RefusalOf(context) ?? $"HTTP {status}"),
                _ => $"failed (HTTP {status})",
            };
            Record(context, key, action, status, outcome);
        }
    }

    private Task RefuseAsync(HttpContext context, RequiredAccess access, ApiKey? key, AccessDecision decision, bool tokenGiven)
    {
        if (access.IsControlPlane || access.AuditAction is not null)
        {
            Record(context, key, access.AuditAction ?? $"{context.Request.Method} {context.Request.Path}", decision.Status, "refused: " + decision.Reason);
        }

        return Denials.WriteAsync(context, decision, tokenGiven);
    }

    private Task RefuseAsync(HttpContext context, RequiredAccess access, ApiKey key, QuotaRefusal refusal)
    {
        if (access.IsControlPlane || access.AuditAction is not null)
        {
            Record(context, key, access.AuditAction ?? $"{context.Request.Method} {context.Request.Path}", 429, "refused: " + refusal.Message);
        }

        return Denials.WriteAsync(context, refusal);
    }

    private void Record(HttpContext context, ApiKey? key, string action, int status, string outcome)
    {
        string target = RequestAccess.TargetOf(context)
            ?? context.Request.RouteValues["name"] as string
            ?? context.Request.RouteValues["id"] as string
            ?? "";
        try
        {
            audit.Append(new AuditRecord(0, time.GetUtcNow(), key?.Id, action, target, status, outcome));
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            // The action already happened (or was refused); a log line keeps it from going unrecorded.
            LogAuditFailed(logger, action, target, key?.Id ?? "-", status, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "audit: could not record {Action} {Target} by key {Key} ({Status}): {Error}")]
    private static partial void LogAuditFailed(ILogger logger, string action, string target, string key, int status, string error);
}
