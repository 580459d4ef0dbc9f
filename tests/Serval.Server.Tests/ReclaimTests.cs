using System.Net;
using Serval.Node.Capacity;
using Serval.Server.Tests.Support;

namespace Serval.Server.Tests;

/// <summary>
/// A node full of idle instances still serves a function that is called: the longest-idle on-demand
/// instance of another function gives back its room. Provisioned instances are never taken.
/// </summary>
public sealed class ReclaimTests : IAsyncLifetime
{
    // One core: one instance of one core at a time.
    private readonly ServerFixture _server = new(configure: o => o with { NodeCapacity = new NodeCapacity(1, 64 << 10) });

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    private const string OneCore = "resources: { cpu: 1 }\ninstances: { max: 1, idle: 10m }\n";

    private async Task<(HttpStatusCode Status, string Body)> CallAsync(string function)
    {
        using HttpResponseMessage response = await _server.Client.PostAsync($"/fn/{function}", new StringContent("x"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_called_function_takes_the_room_of_an_idle_one_and_back()
    {
        await _server.DeployHandlerAsync("first", "NoOp", OneCore);
        await _server.DeployHandlerAsync("second", "NoOp", OneCore);

        Assert.Equal(HttpStatusCode.OK, (await CallAsync("first")).Status);
        string firstInstance = (string)(await _server.InstancesAsync("first"))[0]!["id"]!;

        var second = await CallAsync("second");

        Assert.True(second.Status == HttpStatusCode.OK, $"{second.Status} {second.Body}");
        Assert.Empty(await _server.InstancesAsync("first"));
        Assert.Single(await _server.InstancesAsync("second"));

        Assert.Equal(HttpStatusCode.OK, (await CallAsync("first")).Status);
        Assert.Empty(await _server.InstancesAsync("second"));
        Assert.NotEqual(firstInstance, (string)(await _server.InstancesAsync("first"))[0]!["id"]!);
    }

    [Fact]
    public async Task A_provisioned_instance_keeps_its_room()
    {
        await _server.DeployHandlerAsync("kept", "NoOp", "resources: { cpu: 1 }\ninstances: { min: 1, max: 1 }\n");
        await _server.WaitForInstancesAsync("kept", i => i.Count == 1, TimeSpan.FromSeconds(30), "the provisioned instance");
        await _server.DeployHandlerAsync("late", "NoOp", OneCore);

        var late = await CallAsync("late");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, late.Status);
        Assert.Contains("no room for another instance (cores: 1 of 1 reserved, 1 more asked)", late.Body);
        Assert.Single(await _server.InstancesAsync("kept"));
    }
}
