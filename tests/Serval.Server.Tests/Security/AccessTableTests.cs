using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Serval.Core.Security;
using Serval.Server.Security;
using Serval.Server.Tests.Support;

namespace Serval.Server.Tests.Security;

/// <summary>The one table from endpoints to scopes: what each needs, and that no endpoint is missing from it.</summary>
public sealed class AccessTableTests
{
    [Theory]
    [InlineData("GET /v2/health/live", Scope.None, FunctionSource.None, null)]
    [InlineData("GET /v2/health/ready", Scope.None, FunctionSource.None, null)]
    [InlineData("GET /v2", Scope.Invoke, FunctionSource.None, null)]
    [InlineData("GET /v2/models/{name}", Scope.Invoke, FunctionSource.Route, null)]
    [InlineData("POST /v2/models/{name}/infer", Scope.Invoke, FunctionSource.Route, null)]
    [InlineData("POST /v2/models/{name}/versions/{version}/infer", Scope.Invoke, FunctionSource.Route, null)]
    [InlineData("POST /fn/{name}", Scope.Invoke, FunctionSource.Route, null)]
    [InlineData("POST /fn/{name}/predict", Scope.Invoke, FunctionSource.Route, null)]
    [InlineData("GET /fn/{name}/monitor", Scope.Invoke, FunctionSource.Route, null)]
    [InlineData("POST /predict", Scope.Invoke, FunctionSource.Endpoint, null)]
    [InlineData("GET /v1/invocations", Scope.Invoke, FunctionSource.None, null)]
    [InlineData("GET /v1/invocations/{id}", Scope.Invoke, FunctionSource.Endpoint, null)]
    [InlineData("POST /v1/invocations/{id}/cancel", Scope.Invoke, FunctionSource.Endpoint, null)]
    [InlineData("POST /v1/functions", Scope.Deploy, FunctionSource.Endpoint, "deploy")]
    [InlineData("GET /v1/functions", Scope.Deploy, FunctionSource.None, null)]
    [InlineData("GET /v1/functions/{name}/instances", Scope.Deploy, FunctionSource.Route, null)]
    [InlineData("DELETE /v1/functions/{name}", Scope.Deploy, FunctionSource.Route, "delete")]
    [InlineData("GET /v1/functions/{name}/release", Scope.Deploy, FunctionSource.Route, null)]
    [InlineData("POST /v1/functions/{name}/release", Scope.Deploy, FunctionSource.Route, "release")]
    [InlineData("GET /metrics", Scope.Deploy, FunctionSource.All, null)]
    [InlineData("GET /v1/alerts", Scope.Deploy, FunctionSource.All, null)]
    [InlineData("GET /v1/cost", Scope.Deploy, FunctionSource.All, null)]
    [InlineData("POST /v1/keys", Scope.Admin, FunctionSource.None, "key.create")]
    [InlineData("GET /v1/keys", Scope.Admin, FunctionSource.None, null)]
    [InlineData("DELETE /v1/keys/{id}", Scope.Admin, FunctionSource.None, "key.delete")]
    [InlineData("GET /v1/audit", Scope.Admin, FunctionSource.None, null)]
    public void Entry_Endpoint_NeedsItsScope(string endpoint, Scope scope, FunctionSource function, string? audit)
    {
        RequiredAccess access = AccessTable.Entries[endpoint];

        Assert.Equal(scope, access.Scope);
        Assert.Equal(function, access.Function);
        Assert.Equal(audit, access.AuditAction);
        Assert.Equal(scope == Scope.None, access.IsOpen);
    }

    [Fact]
    public async Task Table_EveryMappedEndpoint_HasAnEntry_AndEveryEntryAnEndpoint()
    {
        var server = new ServerFixture();
        await server.InitializeAsync();
        await using var stop = new Stopper(server);
        var mapped = server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(AccessTable.KeyOf)
            .ToHashSet();

        Assert.DoesNotContain(null, mapped);
        Assert.Empty(mapped.Except(AccessTable.Entries.Keys));
        Assert.Empty(AccessTable.Entries.Keys.Except(mapped!));
    }

    [Fact]
    public void For_EndpointMissingFromTheTable_NeedsAdmin()
    {
        var endpoint = new RouteEndpoint(_ => Task.CompletedTask, Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse("/v1/new"), 0,
            new Microsoft.AspNetCore.Http.EndpointMetadataCollection(new HttpMethodMetadata(["POST"])), "new");

        Assert.Same(RequiredAccess.Unmapped, AccessTable.For(endpoint));
        Assert.Equal(Scope.Admin, AccessTable.For(endpoint).Scope);
        Assert.Same(RequiredAccess.NoEndpoint, AccessTable.For(null));
    }

    private sealed class Stopper(ServerFixture server) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => new(server.DisposeAsync());
    }
}
