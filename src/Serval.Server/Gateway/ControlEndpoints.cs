using Microsoft.AspNetCore.Http.Features;
using Serval.Node.Instances;
using Serval.Server.Deployment;
using Serval.Server.Dispatch;
using Serval.Server.Functions;
using Serval.Server.Monitoring;
using Serval.Server.Scaling;
using Serval.Server.Triggers;
using Serval.Core.Autoscaling;
using Serval.Core.Security;
using Serval.Core.Specs;
using Serval.Server.Security;

namespace Serval.Server.Gateway;

/// <summary>The control plane: <c>/v1/functions</c> — deploy, list, inspect, remove.</summary>
public static class ControlEndpoints
{
    /// <summary>Maps <c>/v1/...</c>.</summary>
    public static void MapControl(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/functions", DeployAsync);
        app.MapGet("/v1/functions", (HttpContext context, FunctionCatalog catalog, Dispatcher dispatcher, TriggerScheduler triggers) =>
            Results.Json(catalog.Functions.Values.Where(f => RequestAccess.Covers(context, f.Record.Name)).OrderBy(f => f.Record.Name, StringComparer.Ordinal).Select(f => new
            {
                name = f.Record.Name,
                runtime = f.Latest.Spec.Runtime.ToString().ToLowerInvariant(),
                latestVersion = f.Latest.Version,
                versions = f.Versions.Count,
                description = f.Latest.Spec.Description,
                created = f.Record.Created,
                updated = f.Record.Updated,
                instances = dispatcher.InstancesOf(f.Record.Name).Count(),
                nextTrigger = TriggerEndpoints.Next(triggers.States(f.Stable)),
            })));
        app.MapGet("/v1/functions/{name}", (string name, FunctionCatalog catalog, TriggerScheduler triggers) =>
            catalog.Functions.TryGetValue(name, out DeployedFunction? f)
                ? Results.Json(new
                {
                    name,
                    runtime = f.Latest.Spec.Runtime.ToString().ToLowerInvariant(),
                    description = f.Latest.Spec.Description,
                    created = f.Record.Created,
                    updated = f.Record.Updated,
                    aliases = f.Aliases,
                    serving = ReleaseEndpoints.ServingJson(f),
                    triggers = TriggerEndpoints.Json(triggers.States(f.Stable)),
                    versions = f.Versions.OrderByDescending(v => v.Version).Select(VersionJson),
                })
                : NoFunction(name));
        app.MapGet("/v1/functions/{name}/versions", (string name, FunctionCatalog catalog) =>
            catalog.Functions.TryGetValue(name, out DeployedFunction? f)
                ? Results.Json(f.Versions.OrderByDescending(v => v.Version).Select(VersionJson))
                : NoFunction(name));
        app.MapGet("/v1/functions/{name}/instances", (string name, FunctionCatalog catalog, Dispatcher dispatcher, TimeProvider time) =>
            !catalog.Functions.TryGetValue(name, out DeployedFunction? f) ? NoFunction(name)
                : f.Latest.Spec.Plan is { } plan ? IsPlan(name, plan)
                : Results.Json(dispatcher.InstancesOf(name).OrderBy(i => i.Created).Select(i => InstanceJson(i, time.GetUtcNow()))));
        app.MapGet("/v1/functions/{name}/scaling", (string name, FunctionCatalog catalog, Dispatcher dispatcher, ScalingLoop scaling, TimeProvider time, AutoscalerOptions autoscaler) =>
        {
            if (!catalog.Functions.TryGetValue(name, out DeployedFunction? f))
            {
                return NoFunction(name);
            }

            if (f.Latest.Spec.Plan is { } plan)
            {
                return IsPlan(name, plan);
            }

            DeployedVersion latest = f.Stable;
            var minimum = ScalingLoop.Minimum(latest, time.GetUtcNow());
            TimeZoneInfo zone = ScalingLoop.Zone(latest.Spec);
            VersionPool? pool = dispatcher.Pools.FirstOrDefault(p => p.Version.Function == name && p.Version.Version == latest.Version);
            PoolSnapshot? snapshot = pool?.Peek();
            var decision = pool is null ? null : scaling.LastDecision(pool);
            return Results.Json(new
            {
                version = latest.Version,
                min = minimum.Min,
                max = latest.Spec.Instances.Max,
                minSource = minimum.Source is { } source ? $"schedule '{source.Cron.Text}'" : "instances.min",
                nextChange = minimum.Next is { } next ? new { at = next.At, min = next.Min, text = next.Describe(zone) } : null,
                ready = snapshot?.Ready ?? 0,
                starting = snapshot?.Starting ?? 0,
                inFlight = snapshot?.InFlight ?? 0,
                queued = snapshot?.Queued ?? 0,
                desired = decision?.DesiredInstances,
                panicking = decision?.Panicking ?? false,
                reason = decision?.Reason,
            });
        });
        app.MapDelete("/v1/functions/{name}", async (string name, FunctionCatalog catalog, Dispatcher dispatcher, FunctionStats stats, Async.AsyncInvocations invocations, Releases.ReleaseWindows windows, CancellationToken cancellationToken) =>
        {
            if (!catalog.Functions.ContainsKey(name))
            {
                return NoFunction(name);
            }

            await catalog.ChangeAsync(store => store.DeleteFunctionAsync(name, cancellationToken), cancellationToken).ConfigureAwait(false);
            await invocations.FunctionDeletedAsync(name).ConfigureAwait(false);
            await dispatcher.RemoveAsync(name).ConfigureAwait(false);
            stats.Remove(name);
            windows.Forget(name);
            return Results.NoContent();
        });
    }

    private static async Task<IResult> DeployAsync(HttpContext context, Deployer deployer, ServalOptions options, FunctionCatalog catalog)
    {
        HttpRequest request = context.Request;
        if (!request.HasFormContentType || request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) != true)
        {
            return Errors.Result(400, "a deploy is multipart/form-data with a part 'spec' (serval.yaml) and one part 'file' per package file");
        }

        if (request.ContentLength > options.MaxPackageBytes)
        {
            return Errors.Result(413, $"the package is over the limit of {options.MaxPackageBytes >> 20} MiB");
        }

        context.Features.Get<IHttpMaxRequestBodySizeFeature>()!.MaxRequestBodySize = options.MaxPackageBytes;
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = options.MaxPackageBytes, ValueLengthLimit = 1 << 20 }, context.RequestAborted).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            return Errors.Result(400, $"the upload is not valid multipart/form-data: {e.Message}");
        }

        string? spec = form["spec"].FirstOrDefault();
        if (spec is null && form.Files.GetFile("spec") is { } specFile)
        {
            using var reader = new StreamReader(specFile.OpenReadStream());
            spec = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }

        if (string.IsNullOrWhiteSpace(spec))
        {
            return Errors.Result(400, "the upload has no 'spec' part: send the serval.yaml text as the part 'spec'");
        }

        // The key's functions are checked once the spec names the function (an invalid spec fails below).
        if (SpecParser.Parse(spec).Spec is { } parsed)
        {
            RequestAccess.SetTarget(context, parsed.Name);
            AccessDecision access = RequestAccess.Check(context, Scope.Deploy, parsed.Name);
            if (!access.Allowed)
            {
                return RequestAccess.Denied(access);
            }
        }

        var files = form.Files.Where(f => f.Name == "file").Select(f => new UploadedFile(f.FileName, f.OpenReadStream)).ToList();
        DeployResult result = await deployer.DeployAsync(spec, files, context.RequestAborted).ConfigureAwait(false);
        if (result.Error is { } error)
        {
            return Results.Json(new { error, errors = result.Details }, statusCode: 400);
        }

        DeployedVersion v = result.Version!;
        object body = new
        {
            name = v.Function,
            version = v.Version,
            runtime = v.Spec.Runtime.ToString().ToLowerInvariant(),
            digest = v.Record.Digest,
            created = v.Record.Created,
            files = v.Record.Files.Select(f => new { path = f.Path, size = f.Size, digest = f.Digest }),
            warnings = result.Warnings,
            serving = catalog.Functions.TryGetValue(v.Function, out DeployedFunction? now) ? ReleaseEndpoints.ServingJson(now) : null,
            release = result.Release is { } release ? ReleaseEndpoints.RecordJson(release) : null,
        };
        return result.Created ? Results.Json(body, statusCode: 201) : Results.Json(body);
    }

    private static object VersionJson(DeployedVersion v) => new
    {
        version = v.Version,
        digest = v.Record.Digest,
        created = v.Record.Created,
        files = v.Record.Files.Select(f => new { path = f.Path, size = f.Size, digest = f.Digest }),
        spec = v.Record.SpecText,
    };

    private static object InstanceJson(Instance i, DateTimeOffset now) => new
    {
        id = i.Id,
        version = i.Config.Version,
        state = i.State.ToString(),
        reason = i.Reason,
        generation = i.Generation,
        pid = i.Process?.Pid,
        started = i.Created,
        ready = i.ReadyAt,
        ageSeconds = Math.Round((now - i.Created).TotalSeconds, 1),
        coldStartMs = Math.Round(i.ColdStartMs, 1),
        startup = i.Report is { } report ? new { pooled = report.Pooled, readyMs = Math.Round(report.StartMs, 1), loadMs = Math.Round(report.LoadMs, 1), warmupMs = Math.Round(report.WarmupMs, 1) } : null,
        inFlight = i.InFlight,
        gpus = i.GpuDevices,
    };

    /// <summary>A plan has no instances to list or scale: its steps' functions have them.</summary>
    private static IResult IsPlan(string name, PlanSpec plan) =>
        Errors.Result(400, $"'{name}' is a plan: it has no instances of its own; its steps' functions scale with the load it sends them ({string.Join(", ", plan.Steps.Select(s => s.Function).Distinct())})");

    private static IResult NoFunction(string name) => Errors.Result(404, $"no function named '{name}'");
}
