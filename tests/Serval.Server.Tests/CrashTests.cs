using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Serval.Server.Tests.Support;
using Serval.TestSupport;

namespace Serval.Server.Tests;

/// <summary>An instance that dies mid-invocation fails only its own requests, with a 502 that says why.</summary>
public sealed class CrashTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new(maxBodyBytes: 64 << 20);

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        await _server.DeployModelAsync("det", Paths.DetModel);
        await _server.DeployModelAsync("cls", Paths.ClsModel);
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Kill9_DuringInvocation_502ThenOthersServeAndNextCallStartsAnew()
    {
        // Warm both functions up, so only the slow det call is in flight when the instance dies.
        using (var warm = await _server.Client.PostAsync("/fn/det", InferenceTests.Raw(Inputs.Floats(3 * 32 * 32), "1,3,32,32")))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        using (var warm = await _server.Client.PostAsync("/fn/cls", InferenceTests.Raw(Inputs.Floats(3 * 48 * 192), "1,3,48,192")))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        JsonNode instance = (await Json.ReadAsync(await _server.Client.GetAsync("/v1/functions/det/instances")))[0]!;
        int pid = (int)instance["pid"]!;
        string id = (string)instance["id"]!;

        // det on 1280x1280 runs for a second or more on this machine: long enough to be killed mid-run.
        Task<HttpResponseMessage> slow = _server.Client.PostAsync("/fn/det", InferenceTests.Raw(Inputs.Floats(3 * 1280 * 1280), "1,3,1280,1280"));
        var waited = Stopwatch.StartNew();
        while ((int)(await Json.ReadAsync(await _server.Client.GetAsync("/v1/functions/det/instances")))[0]!["inFlight"]! == 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "the slow call never reached the instance");
            await Task.Delay(5);
        }

        // The 20 MB request takes a moment to cross the socket; one cut short there is sent elsewhere
        // (it never ran), so kill once the run itself is under way.
        await Task.Delay(300);
        Process.GetProcessById(pid).Kill();
        using HttpResponseMessage crashed = await slow;
        Assert.False(DeployTests.ProcessAlive(pid));
        Assert.Equal(HttpStatusCode.BadGateway, crashed.StatusCode);
        string error = await Json.ErrorAsync(crashed);
        Assert.Contains(id, error);
        Assert.Contains("137", error);

        using var other = await _server.Client.PostAsync("/fn/cls", InferenceTests.Raw(Inputs.Floats(3 * 48 * 192), "1,3,48,192"));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal("false", other.Headers.GetValues("X-Serval-Cold-Start").Single());

        using var again = await _server.Client.PostAsync("/fn/det", InferenceTests.Raw(Inputs.Floats(3 * 32 * 32), "1,3,32,32"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("X-Serval-Cold-Start").Single());
        Assert.NotEqual(id, again.Headers.GetValues("X-Serval-Instance").Single());
    }
}
