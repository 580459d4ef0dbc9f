using Serval.Core.Placement;
using Serval.Node.Capacity;
using Serval.Server.Tests.Support;

namespace Serval.Server.Tests.Plans;

/// <summary>
/// Where GPU steps and GPU functions run: a function's instances reserve the GPUs its resources ask
/// for, so it starts only on a node with one free; a plan's <c>runs: gpu</c> is checked against that.
/// </summary>
public sealed class GpuPlacementTests
{
    private static async Task<T> OnServerAsync<T>(int gpus, Func<ServerFixture, Task<T>> test)
    {
        var server = new ServerFixture(configure: o => o with { NodeCapacity = new NodeCapacity(ServerFixture.Cores, 64 << 10, gpus) });
        await server.InitializeAsync();
        try
        {
            return await test(server);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_gpu_step_over_a_cpu_function_on_a_gpu_node_deploys_naming_the_fix()
    {
        var (status, body) = await OnServerAsync(1, async server =>
        {
            await server.DeployHandlerAsync("split", "Split");
            using var response = await server.DeployBytesAsync("name: p-gpu\nplan:\n  steps:\n    - { name: cut, function: split, runs: gpu }\n");
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        });

        Assert.Equal(201, status);
        Assert.Contains("plan 'p-gpu' step 'cut' asks to run on a GPU, but 'split' asks for none, so it runs on the CPU: add resources: { gpu: 1 }", body);
        Assert.DoesNotContain("no node has one", body);
    }

    [Fact]
    public async Task A_function_asking_for_a_gpu_on_nodes_without_one_is_refused_naming_it()
    {
        var (status, body) = await OnServerAsync(0, async server =>
        {
            using var response = await server.DeployBytesAsync(TestHandlers.Spec("needs-gpu", "NoOp", "resources: { gpu: 1 }\n"), TestHandlers.Files());
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        });

        Assert.Equal(400, status);
        Assert.Contains("resources.gpu: 1 asked, but no node has a GPU; remove resources.gpu to run on the CPU", body);
    }
}
