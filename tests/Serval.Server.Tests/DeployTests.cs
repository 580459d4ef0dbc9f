using System.Net;
using System.Text.Json.Nodes;
using Serval.Server.Tests.Support;
using Serval.TestSupport;

namespace Serval.Server.Tests;

/// <summary>Deploys through the HTTP API: versions, refusals with the file and field, and nothing lost on a refusal.</summary>
public sealed class DeployTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new();

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    private async Task AssertRefusedAsync(HttpResponseMessage response, params string[] fragments)
    {
        string error = await Json.ErrorAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"expected 400, got {(int)response.StatusCode}: {error}");
        foreach (string fragment in fragments)
        {
            Assert.Contains(fragment, error);
        }
    }

    [Fact]
    public async Task Deploy_NewFunction_201Version1ThenSameContent200ThenChange201Version2()
    {
        using var first = await _server.DeployAsync("name: cls\nruntime: onnx\nmodel: cls.onnx\n", ("cls.onnx", Paths.ClsModel));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        JsonNode v1 = await Json.ReadAsync(first);
        Assert.Equal(1, (int)v1["version"]!);
        Assert.StartsWith("sha256:", (string)v1["digest"]!);

        using var same = await _server.DeployAsync("name: cls\nruntime: onnx\nmodel: cls.onnx\n", ("cls.onnx", Paths.ClsModel));
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        Assert.Equal(1, (int)(await Json.ReadAsync(same))["version"]!);

        using var changed = await _server.DeployAsync("name: cls\nruntime: onnx\nmodel: cls.onnx\ntimeout: 5s\n", ("cls.onnx", Paths.ClsModel));
        Assert.Equal(HttpStatusCode.Created, changed.StatusCode);
        Assert.Equal(2, (int)(await Json.ReadAsync(changed))["version"]!);

        JsonArray versions = (await Json.ReadAsync(await _server.Client.GetAsync("/v1/functions/cls/versions"))).AsArray();
        Assert.Equal([2, 1], versions.Select(v => (int)v!["version"]!));
        JsonNode function = await Json.ReadAsync(await _server.Client.GetAsync("/v1/functions/cls"));
        Assert.Equal(2, (int)function["aliases"]!["latest"]!);
        JsonArray list = (await Json.ReadAsync(await _server.Client.GetAsync("/v1/functions"))).AsArray();
        Assert.Contains(list, f => (string?)f!["name"] == "cls" && (int)f["latestVersion"]! == 2);
    }

    [Fact]
    public async Task Deploy_UnknownKey_400FileLineAndHint()
    {
        using var r = await _server.DeployAsync("name: cls\nruntime: onnx\nmodle: cls.onnx\n", ("cls.onnx", Paths.ClsModel));
        await AssertRefusedAsync(r, "serval.yaml:3", "modle", "did you mean 'model'?");
    }

    [Fact]
    public async Task Deploy_BadValue_400NamesField()
    {
        using var r = await _server.DeployAsync("name: cls\nruntime: onnx\nmodel: cls.onnx\ninstances: { max: 0 }\n", ("cls.onnx", Paths.ClsModel));
        await AssertRefusedAsync(r, "serval.yaml:4", "instances.max");
    }

    [Fact]
    public async Task Deploy_MissingFile_400NamesFileAndField()
    {
        using var r = await _server.DeployAsync("name: cls\nruntime: onnx\nmodel: rec.onnx\n", ("cls.onnx", Paths.ClsModel));
        await AssertRefusedAsync(r, "serval.yaml:3", "model", "'rec.onnx' is not in the package");
    }

    [Fact]
    public async Task Deploy_ModelOrtCannotLoad_400WithOrtMessage()
    {
        using var r = await _server.DeployBytesAsync("name: broken\nruntime: onnx\nmodel: broken.onnx\n", ("broken.onnx", "this is not an ONNX model"u8.ToArray()));
        await AssertRefusedAsync(r, "broken: the package does not load");
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Client.GetAsync("/v1/functions/broken")).StatusCode);
    }

    [Fact]
    public async Task Deploy_Refused_LeavesDeployedVersionServing()
    {
        await _server.DeployModelAsync("keep", Paths.ClsModel);
        using var bad = await _server.DeployBytesAsync("name: keep\nruntime: onnx\nmodel: cls.onnx\n", ("cls.onnx", "garbage"u8.ToArray()));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        JsonNode function = await Json.ReadAsync(await _server.Client.GetAsync("/v1/functions/keep"));
        Assert.Equal(1, (int)function["aliases"]!["latest"]!);
        using var call = await _server.Client.PostAsync("/fn/keep", InferenceTests.Raw(Inputs.Floats(3 * 48 * 192), "1,3,48,192"));
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        Assert.Equal("1", call.Headers.GetValues("X-Serval-Version").Single());
    }

    [Fact]
    public async Task Deploy_PathEscapingPackage_400()
    {
        using var r = await _server.DeployAsync("name: cls\nruntime: onnx\nmodel: cls.onnx\n", ("cls.onnx", Paths.ClsModel), ("../evil.onnx", Paths.ClsModel));
        await AssertRefusedAsync(r, "'../evil.onnx'");
    }

    [Fact]
    public async Task Deploy_NotMultipart_400Explains()
    {
        using var r = await _server.Client.PostAsync("/v1/functions", new StringContent("name: x"));
        await AssertRefusedAsync(r, "multipart/form-data");
    }

    [Fact]
    public async Task Remove_Function_StopsItAnd404After()
    {
        await _server.DeployModelAsync("gone", Paths.ClsModel);
        using var call = await _server.Client.PostAsync("/fn/gone", InferenceTests.Raw(Inputs.Floats(3 * 48 * 192), "1,3,48,192"));
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        int pid = (int)(await Json.ReadAsync(await _server.Client.GetAsync("/v1/functions/gone/instances")))[0]!["pid"]!;
        Assert.Equal(HttpStatusCode.NoContent, (await _server.Client.DeleteAsync("/v1/functions/gone")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Client.GetAsync("/v1/functions/gone")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Client.DeleteAsync("/v1/functions/gone")).StatusCode);
        Assert.False(ProcessAlive(pid), "the instance process outlived its function");
    }

    [Fact]
    public async Task Restart_PlatformReloadsDeployedFunctions()
    {
        await _server.DeployModelAsync("durable", Paths.ClsModel);
        await using var again = new ServerFixtureOn(_server.DataDirectory);
        await again.StartAsync();
        using var call = await again.Client.PostAsync("/fn/durable", InferenceTests.Raw(Inputs.Floats(3 * 48 * 192), "1,3,48,192"));
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
    }

    internal static bool ProcessAlive(int pid)
    {
        for (int i = 0; i < 100 && Directory.Exists($"/proc/{pid}"); i++)
        {
            Thread.Sleep(50);
        }

        return Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ");
    }
}
