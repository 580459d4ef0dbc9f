using System.Collections.Concurrent;
using System.Collections.Frozen;
using Serval.Core.Security;

namespace Serval.Server.Security;

/// <summary>
/// The one table from endpoints to the access they need, keyed by <c>METHOD pattern</c> as mapped.
/// Invocations need <c>invoke</c>, the control plane <c>deploy</c>, keys and audit <c>admin</c>; an
/// endpoint missing here needs admin (closed by default, and a test lists every mapped endpoint).
/// </summary>
public static class AccessTable
{
    private static readonly RequiredAccess InvokeRoute = new(Scope.Invoke, FunctionSource.Route);
    private static readonly RequiredAccess DeployRoute = new(Scope.Deploy, FunctionSource.Route);

    /// <summary>The table.</summary>
    public static readonly FrozenDictionary<string, RequiredAccess> Entries = new Dictionary<string, RequiredAccess>
    {
        ["GET /v2/health/live"] = RequiredAccess.Open,
        ["GET /v2/health/ready"] = RequiredAccess.Open,
        ["GET /v2"] = new(Scope.Invoke, FunctionSource.None),
        ["GET /v2/models/{name}"] = InvokeRoute,
        ["GET /v2/models/{name}/versions/{version}"] = InvokeRoute,
        ["GET /v2/models/{name}/ready"] = InvokeRoute,
        ["GET /v2/models/{name}/versions/{version}/ready"] = InvokeRoute,
        ["POST /v2/models/{name}/infer"] = InvokeRoute,
        ["POST /v2/models/{name}/versions/{version}/infer"] = InvokeRoute,
        ["POST /fn/{name}"] = InvokeRoute,
        ["POST /fn/{name}/predict"] = InvokeRoute,
        ["GET /fn/{name}/monitor"] = InvokeRoute,
        ["POST /predict"] = new(Scope.Invoke, FunctionSource.Endpoint),
        ["GET /v1/invocations"] = new(Scope.Invoke, FunctionSource.None),
        ["GET /v1/invocations/{id}"] = new(Scope.Invoke, FunctionSource.Endpoint),
        ["GET /v1/invocations/{id}/result"] = new(Scope.Invoke, FunctionSource.Endpoint),
        ["POST /v1/invocations/{id}/cancel"] = new(Scope.Invoke, FunctionSource.Endpoint),
        ["POST /v1/functions"] = new(Scope.Deploy, FunctionSource.Endpoint, "deploy"),
        ["GET /v1/functions"] = new(Scope.Deploy, FunctionSource.None),
        ["GET /v1/functions/{name}"] = DeployRoute,
        ["GET /v1/functions/{name}/versions"] = DeployRoute,
        ["GET /v1/functions/{name}/instances"] = DeployRoute,
        ["GET /v1/functions/{name}/scaling"] = DeployRoute,
        ["GET /v1/functions/{name}/triggers"] = DeployRoute,
        ["GET /v1/functions/{name}/logs"] = DeployRoute,
        ["GET /v1/functions/{name}/release"] = DeployRoute,
        ["POST /v1/functions/{name}/release"] = new(Scope.Deploy, FunctionSource.Route, "release"),
        ["DELETE /v1/functions/{name}"] = new(Scope.Deploy, FunctionSource.Route, "delete"),
        ["GET /v1/nodes"] = new(Scope.Deploy, FunctionSource.None),
        ["GET /v1/cluster"] = new(Scope.Deploy, FunctionSource.None),
        ["GET /metrics"] = new(Scope.Deploy, FunctionSource.All),
        ["GET /v1/alerts"] = new(Scope.Deploy, FunctionSource.All),
        ["GET /v1/cost"] = new(Scope.Deploy, FunctionSource.All),
        ["POST /v1/keys"] = new(Scope.Admin, FunctionSource.None, "key.create"),
        ["GET /v1/keys"] = new(Scope.Admin, FunctionSource.None),
        ["DELETE /v1/keys/{id}"] = new(Scope.Admin, FunctionSource.None, "key.delete"),
        ["GET /v1/audit"] = new(Scope.Admin, FunctionSource.None),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly ConcurrentDictionary<Endpoint, RequiredAccess> ByEndpoint = new();

    /// <summary>The table's key of an endpoint: <c>POST /fn/{name}</c>; null for one that is not a routed HTTP endpoint.</summary>
    public static string? KeyOf(Endpoint endpoint) =>
        endpoint is RouteEndpoint route && endpoint.Metadata.GetMetadata<HttpMethodMetadata>() is { HttpMethods: [string method] }
            ? $"{method} {route.RoutePattern.RawText}"
            : null;

    /// <summary>What a call to <paramref name="endpoint"/> needs (looked up once per endpoint): <see cref="RequiredAccess.NoEndpoint"/> without one, <see cref="RequiredAccess.Unmapped"/> for one missing from the table.</summary>
    public static RequiredAccess For(Endpoint? endpoint) =>
        endpoint is null ? RequiredAccess.NoEndpoint
            : ByEndpoint.GetOrAdd(endpoint, e => KeyOf(e) is { } key && Entries.TryGetValue(key, out RequiredAccess? access) ? access : RequiredAccess.Unmapped);
}
