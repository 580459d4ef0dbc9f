using System.Globalization;
using System.Text.Json;
using Serval.Core.Releases;
using Serval.Server.Functions;
using Serval.Server.Releases;

namespace Serval.Server.Gateway;

/// <summary><c>GET /v1/functions/{name}/release</c> (where traffic goes, the release and its history) and <c>POST</c> (promote, rollback).</summary>
public static class ReleaseEndpoints
{
    /// <summary>The releases shown besides the latest one, newest first.</summary>
    private const int PastShown = 20;

    /// <summary>Maps the two.</summary>
    public static void MapReleases(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/functions/{name}/release", (string name, FunctionCatalog catalog, ReleaseWindows windows, ReleaseLoop loop) =>
            catalog.Functions.TryGetValue(name, out DeployedFunction? function)
                ? Results.Json(StatusJson(function, windows, loop))
                : Errors.Result(404, $"no function named '{name}'"));
        app.MapPost("/v1/functions/{name}/release", CommandAsync);
    }

    private static async Task<IResult> CommandAsync(HttpContext context, string name, FunctionCatalog catalog, ReleaseController controller, ReleaseWindows windows, ReleaseLoop loop)
    {
        JsonElement body;
        try
        {
            using JsonDocument document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false);
            body = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            return Errors.Result(400, $"a release command is a JSON object ({{\"action\": \"promote\"}} or {{\"action\": \"rollback\", \"to\": 3}}): {e.Message}");
        }

        var (request, error) = ReleaseCommandRequest.Read(body);
        if (request is null)
        {
            return Errors.Result(400, error!);
        }

        ReleaseOutcome outcome = request.Promote
            ? await controller.PromoteAsync(name, context.RequestAborted).ConfigureAwait(false)
            : await controller.RollbackAsync(name, request.To, context.RequestAborted).ConfigureAwait(false);
        if (outcome.Error is { } refused)
        {
            return Errors.Result(outcome.Status, refused);
        }

        return Results.Json(StatusJson(catalog.Functions[name], windows, loop));
    }

    /// <summary>The whole status: where traffic goes, the latest release (with the step's figures while it runs) and the earlier ones.</summary>
    public static object StatusJson(DeployedFunction function, ReleaseWindows windows, ReleaseLoop loop)
    {
        string name = function.Record.Name;
        ReleaseRecord? latest = function.Releases.Count > 0 ? function.Releases[^1] : null;
        object? now = null;
        if (function.Running is { } running)
        {
            ReleaseDecision? decision = loop.LastDecision(name);
            now = new
            {
                decision = decision?.Action.ToString().ToLowerInvariant(),
                reason = decision?.Reason,
                stable = WindowJson(windows.Observe(name, running.From)),
                canary = WindowJson(windows.Observe(name, running.To)),
            };
        }

        return new
        {
            function = name,
            latest = function.Latest.Version,
            serving = ServingJson(function),
            release = latest is null ? null : RecordJson(latest),
            now,
            past = function.Releases.Reverse().Skip(1).Take(PastShown).Select(RecordJson),
        };
    }

    /// <summary>Where the serving alias sends calls: <c>{"stable": 3, "canary": 4, "percent": 10, "weights": {"3": 90, "4": 10}, ...}</c>.</summary>
    public static object ServingJson(DeployedFunction function)
    {
        TrafficSplit split = function.Split;
        return new
        {
            alias = DeployedFunction.ServingAlias,
            stable = split.Stable,
            canary = split.Splits ? split.Canary : null,
            percent = split.Splits ? split.Percent : 0,
            weights = split.Weights.ToDictionary(w => w.Version.ToString(CultureInfo.InvariantCulture), w => w.Percent),
            bids = split.Splits && split.Bids.Count > 0 ? split.Bids.Order(StringComparer.Ordinal).ToArray() : null,
            sticky = split.Splits ? split.Sticky : null,
        };
    }

    /// <summary>A release as the API shows it.</summary>
    public static object RecordJson(ReleaseRecord release) => new
    {
        id = release.Id,
        kind = release.Kind.ToString().ToLowerInvariant(),
        from = release.From,
        to = release.To,
        state = State(release.State),
        step = release.Step,
        percent = release.Percent,
        started = release.Started,
        stepStarted = release.StepStarted,
        ended = release.Ended,
        reason = release.Reason,
        history = release.History.Select(e => new { at = e.At, action = e.Action, percent = e.Percent, reason = e.Reason }),
    };

    private static object WindowJson(VersionWindow window) => new
    {
        version = window.Version,
        requests = window.Requests,
        errors = window.Errors,
        errorRate = Math.Round(window.ErrorRate, 4),
        p99Ms = Math.Round(window.P99Ms, 2),
    };

    /// <summary>A state's name in the API: <c>running</c>, <c>promoted</c>, <c>rolledBack</c>, <c>failed</c>, <c>superseded</c>.</summary>
    public static string State(ReleaseState state) => JsonNamingPolicy.CamelCase.ConvertName(state.ToString());
}
