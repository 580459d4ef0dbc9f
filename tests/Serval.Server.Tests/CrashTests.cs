using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Serval.Server.Tests.Support;
using Serval.TestSupport;

namespace Serval.Server.Tests;

/// <summary>An instance that dies mid-invocation fails only its own requests, with a 502 that says why.</summary>
public sealed class CrashTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new();
    private readonly RunLog _runs = new();

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        await _server.DeployHandlerAsync("victim", "Slow", runs: _runs);
        await _server.DeployHandlerAsync("bystander", "NoOp");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _runs.Dispose();
    }

    [Fact]
    public async Task Kill9_DuringInvocation_502ThenOthersServeAndNextCallStartsAnew()
    {
        // Warm both functions up, so only the slow call is in flight when the instance dies.
        using (var warm = await _server.Client.PostAsync("/fn/victim", new StringContent("0")))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        using (var warm = await _server.Client.PostAsync("/fn/bystander", new StringContent("")))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        JsonNode instance = (await _server.InstancesAsync("victim"))[0]!;
        int pid = (int)instance["pid"]!;
        string id = (string)instance["id"]!;

        // The handler notes its run as it starts: kill only once the run is under way (a request cut
        // short on the socket never ran, and goes to another instance instead).
        int before = _runs.Counts().Count;
        Task<HttpResponseMessage> slow = _server.Client.PostAsync("/fn/victim", new StringContent("60000"));
        var waited = Stopwatch.StartNew();
        while (_runs.Counts().Count == before)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(15), "the slow call never started on the instance");
            await Task.Delay(10);
        }

        Process.GetProcessById(pid).Kill();
        using HttpResponseMessage crashed = await slow;
        Assert.False(DeployTests.ProcessAlive(pid));
        Assert.Equal(HttpStatusCode.BadGateway, crashed.StatusCode);
        string error = await Json.ErrorAsync(crashed);
        Assert.Contains(id, error);
        Assert.Contains("137", error);

        using var other = await _server.Client.PostAsync("/fn/bystander", new StringContent(""));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal("false", other.Headers.GetValues("X-Serval-Cold-Start").Single());

        using var again = await _server.Client.PostAsync("/fn/victim", new StringContent("0"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("X-Serval-Cold-Start").Single());
        Assert.NotEqual(id, again.Headers.GetValues("X-Serval-Instance").Single());
    }
}
