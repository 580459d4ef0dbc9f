using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Serval.Server.Tests.Support;

namespace Serval.Server.Tests.Security;

/// <summary>The audit log records control-plane actions and refusals with the key, action, target and outcome.</summary>
public sealed class AuditTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new(configure: o => o with { Auth = true });

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    private async Task<List<JsonNode>> AuditAsync(string query = "") =>
        [.. (await Json.ReadAsync(await _server.Client.GetAsync("/v1/audit" + query))).AsArray().Select(r => r!)];

    [Fact]
    public async Task ControlPlaneActions_AndRefusals_AreRecorded()
    {
        string adminId = _server.AdminKey!.Substring(3, 12);
        await _server.DeployHandlerAsync("audited", "NoOp");
        var created = await Json.ReadAsync(await _server.Client.PostAsJsonAsync("/v1/keys", new { scopes = new[] { "invoke" }, functions = new[] { "audited" } }));
        string invokeId = (string)created["id"]!;
        using (HttpClient invoker = _server.ClientWith((string)created["key"]!))
        using (HttpClient anonymous = _server.ClientWith(null))
        {
            using HttpResponseMessage refusedDelete = await invoker.DeleteAsync("/v1/functions/audited");
            using HttpResponseMessage refusedAnonymous = await anonymous.DeleteAsync("/v1/functions/audited");
            using HttpResponseMessage invoked = await invoker.PostAsync("/fn/audited", new StringContent("{}")); // an invocation is not audited
            Assert.Equal(HttpStatusCode.OK, invoked.StatusCode);
        }

        using HttpResponseMessage deleted = await _server.Client.DeleteAsync("/v1/functions/audited");
        using HttpResponseMessage keyRemoved = await _server.Client.DeleteAsync($"/v1/keys/{invokeId}");
        using HttpResponseMessage missing = await _server.Client.DeleteAsync("/v1/functions/never-was");

        var records = await AuditAsync();
        var rows = records.Select(r => ((string?)r["key"], (string)r["action"]!, (string)r["target"]!, (int)r["status"]!)).ToList();
        Assert.Equal(
            [
                (adminId, "deploy", "audited", 201),
                (adminId, "key.create", invokeId, 201),
                (invokeId, "delete", "audited", 403),
                (null, "delete", "audited", 401),
                (adminId, "delete", "audited", 204),
                (adminId, "key.delete", invokeId, 204),
                (adminId, "delete", "never-was", 404),
            ],
            rows);
        Assert.Equal("ok", (string?)records[0]["outcome"]);
        Assert.Contains("refused: key " + invokeId + " lacks scope deploy", (string?)records[2]["outcome"]);
        Assert.Contains("refused: no key", (string?)records[3]["outcome"]);
        Assert.Equal("failed (HTTP 404)", (string?)records[6]["outcome"]);
        Assert.All(records, r => Assert.True(DateTimeOffset.Parse((string)r["at"]!) > DateTimeOffset.UtcNow.AddMinutes(-5)));
    }

    [Fact]
    public async Task DeployRefusedForAnotherFunction_RecordsTheSpecsName()
    {
        string key = await _server.CreateKeyAsync(new { scopes = new[] { "deploy" }, functions = new[] { "mine-*" } });
        using HttpClient deployer = _server.ClientWith(key);

        using HttpResponseMessage refused = await ServerFixture.DeployBytesAsync(deployer, TestHandlers.Spec("theirs", "NoOp"), TestHandlers.Files());

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        JsonNode last = (await AuditAsync("?limit=1")).Single();
        Assert.Equal("deploy", (string?)last["action"]);
        Assert.Equal("theirs", (string?)last["target"]);
        Assert.Equal(403, (int)last["status"]!);
        Assert.Contains("does not cover function 'theirs'", (string?)last["outcome"]);
    }

    [Fact]
    public async Task Since_ReturnsTheRecordsFromThatTime()
    {
        await _server.CreateKeyAsync(new { scopes = new[] { "invoke" }, functions = new[] { "a" }, label = "before" });
        DateTimeOffset between = DateTimeOffset.UtcNow;
        await _server.CreateKeyAsync(new { scopes = new[] { "invoke" }, functions = new[] { "a" }, label = "after" });

        var since = await AuditAsync("?since=" + Uri.EscapeDataString(between.ToString("O")));
        var all = await AuditAsync();

        Assert.Single(since);
        Assert.Equal(2, all.Count);
        Assert.Equal(all[1]["seq"]!.ToString(), since[0]["seq"]!.ToString());
    }

    [Theory]
    [InlineData("?limit=0", "limit must be a whole number from 1 to 1000")]
    [InlineData("?limit=x", "limit must be a whole number")]
    [InlineData("?since=yesterday", "since must be a time")]
    public async Task BadQuery_400(string query, string message)
    {
        using HttpResponseMessage response = await _server.Client.GetAsync("/v1/audit" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await Json.ErrorAsync(response));
    }
}

/// <summary>With auth off (loopback) the audit log still records who-less actions.</summary>
public sealed class AuditAuthOffTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Deploy_AuthOff_RecordedWithoutAKey()
    {
        Assert.Null(_server.AdminKey);
        Assert.False(File.Exists(Path.Combine(_server.DataDirectory, "admin.key")));
        await _server.DeployHandlerAsync("open", "NoOp");

        var records = (await Json.ReadAsync(await _server.Client.GetAsync("/v1/audit"))).AsArray();

        JsonNode record = Assert.Single(records)!;
        Assert.Null((string?)record["key"]);
        Assert.Equal("deploy", (string?)record["action"]);
        Assert.Equal("open", (string?)record["target"]);
    }
}
