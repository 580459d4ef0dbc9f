using System.Globalization;
using Serval.Server.Security;

namespace Serval.Server.Gateway;

/// <summary><c>GET /v1/audit?since=&amp;limit=</c> (admin): control-plane actions and refusals, oldest first.</summary>
public static class AuditEndpoints
{
    /// <summary>Maps it.</summary>
    public static void MapAudit(this IEndpointRouteBuilder app) =>
        app.MapGet("/v1/audit", (HttpContext context, AuditLog audit) =>
        {
            IQueryCollection query = context.Request.Query;
            DateTimeOffset? since = null;
            if (query["since"].ToString() is { Length: > 0 } sinceText)
            {
                if (!DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed))
                {
                    return Errors.Result(400, $"since must be a time such as 2026-12-04T17:00:00Z, got '{sinceText}'");
                }

                since = parsed;
            }

            int limit = 100;
            if (query["limit"].ToString() is { Length: > 0 } limitText
                && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > AuditLog.MaxLimit))
            {
                return Errors.Result(400, $"limit must be a whole number from 1 to {AuditLog.MaxLimit}, got '{limitText}'");
            }

            return Results.Json(audit.Read(since, limit).Select(r => new
            {
                seq = r.Seq,
                at = r.At,
                key = r.Key,
                action = r.Action,
                target = r.Target,
                status = r.Status,
                outcome = r.Outcome,
            }));
        });
}
