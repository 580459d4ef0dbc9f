using System.Globalization;
using System.Text.Json;
using Serval.Core.Security;
using Serval.Server.Async;
using Serval.Server.Security;

namespace Serval.Server.Gateway;

/// <summary>
/// <c>/v1/invocations</c>: an asynchronous invocation's status, runs, deliveries and result; the
/// listing; cancel.
/// </summary>
public static class InvocationEndpoints
{
    /// <summary>The most a listing returns at once.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Maps <c>/v1/invocations...</c>.</summary>
    public static void MapInvocations(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/invocations", ListAsync);
        app.MapGet("/v1/invocations/{id}", async (HttpContext context, string id, AsyncInvocations invocations, AsyncOptions options) =>
            await invocations.GetAsync(id).ConfigureAwait(false) is not { } view ? NotFound(id, options)
                : RequestAccess.Check(context, Scope.Invoke, view.Function) is { Allowed: false } denied ? RequestAccess.Denied(denied)
                : Results.Json(Detail(view)));
        app.MapGet("/v1/invocations/{id}/result", ResultAsync);
        app.MapPost("/v1/invocations/{id}/cancel", async (HttpContext context, string id, AsyncInvocations invocations, AsyncOptions options) =>
        {
            if (await DeniedAsync(context, id, invocations).ConfigureAwait(false) is { } denied)
            {
                return RequestAccess.Denied(denied);
            }

            var (view, alreadyEnded) = await invocations.CancelAsync(id).ConfigureAwait(false);
            if (view is null)
            {
                return NotFound(id, options);
            }

            return alreadyEnded
                ? Errors.Result(409, $"invocation {id} already ended {view.Status}: only Queued or Running invocations can be cancelled")
                : Results.Json(Detail(view));
        });
    }

    private static async Task<IResult> ListAsync(HttpContext context, AsyncInvocations invocations)
    {
        IQueryCollection query = context.Request.Query;
        InvocationStatus? status = null;
        if (query["status"].ToString() is { Length: > 0 } statusText)
        {
            status = InvocationStatuses.Parse(statusText);
            if (status is null)
            {
                return Errors.Result(400, $"status must be one of {string.Join(", ", Enum.GetNames<InvocationStatus>())}, got '{statusText}'");
            }
        }

        int limit = 100;
        if (query["limit"].ToString() is { Length: > 0 } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            return Errors.Result(400, $"limit must be a whole number from 1 to {MaxLimit}, got '{limitText}'");
        }

        string? after = query["after"].ToString() is { Length: > 0 } a ? a : null;
        string? function = query["function"].ToString() is { Length: > 0 } f ? f : null;
        IReadOnlyList<InvocationView> page = await invocations.ListAsync(new InvocationQuery(function, status, limit, after)).ConfigureAwait(false);
        // An unknown 'after' lists nothing (the store pages by its row); only then is it looked up.
        if (page.Count == 0 && after is not null && await invocations.GetAsync(after).ConfigureAwait(false) is null)
        {
            return Errors.Result(400, $"after: no invocation '{after}' (it may have been swept): list again from the start");
        }

        return Results.Json(new
        {
            invocations = page.Where(v => RequestAccess.Covers(context, v.Function)).Select(Summary),
            next = page.Count == limit ? page[^1].Id : null,
        });
    }

    /// <summary>
    /// The refusal when the request's key does not cover the invocation's function; null when it
    /// does, when it covers every function (no lookup), or when there is no such invocation (the endpoint's 404).
    /// </summary>
    private static async Task<Serval.Core.Security.AccessDecision?> DeniedAsync(HttpContext context, string id, AsyncInvocations invocations)
    {
        if (RequestAccess.KeyOf(context) is not { CoversAll: false } || await invocations.GetAsync(id).ConfigureAwait(false) is not { } view)
        {
            return null;
        }

        var decision = RequestAccess.Check(context, Scope.Invoke, view.Function);
        return decision.Allowed ? null : decision;
    }

    private static async Task ResultAsync(HttpContext context, string id, AsyncInvocations invocations, AsyncOptions options)
    {
        if (await DeniedAsync(context, id, invocations).ConfigureAwait(false) is { } denied)
        {
            await Denials.WriteAsync(context, denied).ConfigureAwait(false);
            return;
        }

        if (await invocations.OpenResultAsync(id).ConfigureAwait(false) is not var (meta, body))
        {
            InvocationView? view = await invocations.GetAsync(id).ConfigureAwait(false);
            string message = view is null
                ? NotFoundMessage(id, options)
                : $"invocation {id} has no result{(view.Status.IsFinal() ? "" : " yet")} (status {view.Status})";
            await Errors.WriteAsync(context, 404, message).ConfigureAwait(false);
            return;
        }

        await using (body.ConfigureAwait(false))
        {
            HttpResponse response = context.Response;
            response.ContentType = meta.ContentType;
            response.ContentLength = body.Length;
            response.Headers["X-Serval-Result-Status"] = meta.StatusCode.ToString(CultureInfo.InvariantCulture);
            foreach (var (name, value) in meta.Headers)
            {
                response.Headers[name] = value;
            }

            await body.CopyToAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static IResult NotFound(string id, AsyncOptions options) => Errors.Result(404, NotFoundMessage(id, options));

    private static string NotFoundMessage(string id, AsyncOptions options) =>
        $"no invocation '{id}' (ended invocations are kept {options.Retention.TotalHours:0.##} h)";

    private static object Summary(InvocationView v) => new
    {
        id = v.Id,
        function = v.Function,
        version = v.Version,
        status = v.Status.ToString(),
        createdAt = v.Created,
        endedAt = v.Ended,
        attemptCount = v.AttemptCount,
        reason = v.Reason,
        source = v.Source,
    };

    private static Dictionary<string, object?> Detail(InvocationView v)
    {
        var detail = new Dictionary<string, object?>
        {
            ["id"] = v.Id,
            ["function"] = v.Function,
            ["version"] = v.Version,
            ["status"] = v.Status.ToString(),
            ["createdAt"] = v.Created,
            ["endedAt"] = v.Ended,
            ["nextAttemptAt"] = v.Due,
            ["reason"] = v.Reason,
            ["condition"] = v.Condition,
            ["source"] = v.Source,
            ["parent"] = v.Parent,
            ["idempotencyKey"] = v.IdempotencyKey,
            ["attempts"] = v.Attempts.Select(a => new { n = a.N, startedAt = a.Started, endedAt = a.Ended, error = a.Error, errorClass = a.ErrorClass, instance = a.Instance }),
            ["deliveries"] = v.Deliveries.Select(d => new
            {
                destination = d.Destination,
                kind = d.Kind,
                condition = d.Condition,
                status = d.Status.ToString(),
                attempts = d.Attempts,
                invocation = d.Invocation,
                error = d.Error,
            }),
        };
        if (v.Result is { } result)
        {
            detail["resultStatus"] = result.StatusCode;
            detail["resultType"] = result.ContentType;
            detail["resultSize"] = result.Size;
            if (result.Inline is { } bytes)
            {
                switch (DestinationRecords.KindOf(result.ContentType, bytes))
                {
                    case PayloadKind.Json:
                        using (JsonDocument document = JsonDocument.Parse(bytes))
                        {
                            detail["result"] = document.RootElement.Clone();
                        }

                        break;
                    case PayloadKind.Text:
                        detail["result"] = System.Text.Encoding.UTF8.GetString(bytes);
                        break;
                    default:
                        detail["result"] = Convert.ToBase64String(bytes);
                        detail["resultEncoding"] = "base64";
                        break;
                }
            }

            detail["resultUrl"] = $"/v1/invocations/{v.Id}/result";
        }

        return detail;
    }
}
