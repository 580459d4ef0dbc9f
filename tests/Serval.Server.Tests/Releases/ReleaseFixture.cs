using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Serval.Server.Tests.Support;

namespace Serval.Server.Tests.Releases;

/// <summary>A platform for the release tests, with helpers to deploy the <c>Versioned</c> handler and read releases.</summary>
public sealed class ReleaseFixture : IAsyncLifetime
{
    /// <summary>The platform.</summary>
    public ServerFixture Server { get; } = new();

    public Task InitializeAsync() => Server.InitializeAsync();

    public Task DisposeAsync() => Server.DisposeAsync();

    /// <summary>
    /// Deploys a version of <c>Versioned</c> named <paramref name="name"/> answering
    /// <paramref name="tag"/> after <paramref name="sleepMs"/> (failing when <paramref name="fail"/>),
    /// with <paramref name="release"/> as its <c>release:</c> line; returns the deploy answer.
    /// One instance takes all the load clients' calls (concurrency 16), so no scale-up muddies a switch.
    /// </summary>
    public async Task<JsonNode> DeployAsync(string name, string tag, int sleepMs = 10, bool fail = false, string? release = null)
    {
        string extra = $"instances: {{ max: 4, concurrency: 16 }}\nenv: {{ TAG: {tag}, SLEEP_MS: '{sleepMs}'{(fail ? ", MODE: fail" : "")} }}\n"
            + (release is null ? "" : $"release: {release}\n");
        using HttpResponseMessage response = await Server.DeployBytesAsync(TestHandlers.Spec(name, "Versioned", extra), TestHandlers.Files());
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"deploy of {name} {tag} failed: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>Calls the function once (its first instance starts) and asserts it answered.</summary>
    public async Task WarmAsync(string name)
    {
        using HttpResponseMessage response = await Server.Client.PostAsync($"/fn/{name}", new StringContent("x"));
        Assert.True(response.IsSuccessStatusCode, $"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary><c>GET /v1/functions/{name}/release</c>.</summary>
    public async Task<JsonNode> ReleaseAsync(string name) =>
        await Json.ReadAsync(await Server.Client.GetAsync($"/v1/functions/{name}/release"));

    /// <summary>Polls the release until its state is <paramref name="state"/>, at most <paramref name="limit"/>; returns it.</summary>
    public async Task<JsonNode> WaitForStateAsync(string name, string state, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            JsonNode status = await ReleaseAsync(name);
            if ((string?)status["release"]?["state"] == state)
            {
                return status;
            }

            Assert.True(clock.Elapsed < limit, $"{name}: the release did not reach '{state}' within {limit.TotalSeconds} s: {status.ToJsonString()}");
            await Task.Delay(50);
        }
    }

    /// <summary><c>POST /v1/functions/{name}/release</c> with <paramref name="command"/>.</summary>
    public Task<HttpResponseMessage> CommandAsync(string name, object command) =>
        Server.Client.PostAsJsonAsync($"/v1/functions/{name}/release", command);
}
