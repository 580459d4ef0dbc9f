using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Serval.Server.Tests.Plans;

/// <summary>Plans deployed and called over HTTP: map over 0, 1 and many items, order, failures, timeouts, partial results.</summary>
public sealed class PlanTests(PlanFixture fixture) : IClassFixture<PlanFixture>
{
    [Theory]
    [InlineData("", new string[0])]
    [InlineData("one", new[] { "ONE!" })]
    [InlineData("a,b,c", new[] { "A!", "B!", "C!" })]
    public async Task A_map_step_gathers_every_item_in_order(string body, string[] expected)
    {
        await fixture.DeployPlanAsync("sj-basic", PlanFixture.SplitShoutJoin);

        var (status, answer, response) = await CallAsync("sj-basic", body);

        Assert.Equal(200, status);
        Assert.Equal(expected, answer["items"]!.AsArray().Select(i => i!.GetValue<string>()).ToArray());
        Assert.Equal(expected.Length, answer["meta"]!["count"]!.GetValue<int>());
        Assert.Equal("join", answer["step"]!.GetValue<string>());
        Assert.Contains($"shout[{expected.Length}]=", response.Headers.GetValues("X-Serval-Steps").Single());
    }

    [Fact]
    public async Task Many_items_finishing_out_of_order_come_back_in_their_order()
    {
        await fixture.DeployPlanAsync("sj-many", PlanFixture.SplitShoutJoin);
        var items = Enumerable.Range(0, 40).Select(i => i % 3 == 0 ? "rand:40" : $"w{i}").ToList();

        var (status, answer, _) = await CallAsync("sj-many", string.Join(",", items));

        Assert.Equal(200, status);
        var expected = items.Select(i => i.ToUpperInvariant() + "!").ToArray();
        Assert.Equal(expected, answer["items"]!.AsArray().Select(i => i!.GetValue<string>()).ToArray());
    }

    [Fact]
    public async Task A_failing_item_fails_the_request_naming_step_and_item()
    {
        await fixture.DeployPlanAsync("sj-fail", PlanFixture.SplitShoutJoin);

        var (status, answer, _) = await CallAsync("sj-fail", "a,b,fail,d");

        Assert.Equal(500, status);
        string error = answer["error"]!.GetValue<string>();
        Assert.Contains("plan 'sj-fail' step 'shout' item 2 of 4", error);
        Assert.Contains("item 'fail' cannot be shouted", error);
    }

    [Fact]
    public async Task A_throwing_item_is_named_too()
    {
        await fixture.DeployPlanAsync("sj-throw", PlanFixture.SplitShoutJoin);

        var (status, answer, _) = await CallAsync("sj-throw", "a,throw");

        Assert.Equal(500, status);
        Assert.Contains("step 'shout' item 1 of 2", answer["error"]!.GetValue<string>());
        Assert.Contains("the item threw", answer["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task With_partial_results_a_failed_item_is_marked_and_the_plan_goes_on()
    {
        await fixture.DeployPlanAsync("sj-partial", PlanFixture.SplitShoutJoin.Replace("steps:", "partial: true\n  steps:", StringComparison.Ordinal));

        var (status, answer, _) = await CallAsync("sj-partial", "a,fail,c");

        Assert.Equal(200, status);
        var items = answer["items"]!.AsArray();
        Assert.Equal("A!", items[0]!.GetValue<string>());
        Assert.Null(items[1]);
        Assert.Equal("C!", items[2]!.GetValue<string>());
        Assert.Contains("item 'fail' cannot be shouted", answer["errors"]![1]!.GetValue<string>());
    }

    [Fact]
    public async Task A_step_that_times_out_fails_the_request_with_504_naming_the_step()
    {
        await fixture.DeployPlanAsync("sj-slow", PlanFixture.SplitShoutJoin.Replace("concurrency: 8 }", "concurrency: 8, timeout: 300ms }", StringComparison.Ordinal));
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var (status, answer, _) = await CallAsync("sj-slow", "a,sleep:10000");

        Assert.Equal(504, status);
        Assert.Contains("step 'shout'", answer["error"]!.GetValue<string>());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"the timeout took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_step_answering_a_client_error_passes_its_status_and_reason_on()
    {
        await fixture.DeployPlanAsync("sj-bad", PlanFixture.SplitShoutJoin);

        var (status, answer, _) = await CallAsync("sj-bad", "bad");

        Assert.Equal(400, status);
        Assert.Equal("plan 'sj-bad' step 'split': 'bad' is not a list", answer["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_plan_is_versioned_and_the_predict_route_reaches_its_steps()
    {
        await fixture.DeployPlanAsync("sj-versions", PlanFixture.SplitShoutJoin);
        await fixture.DeployPlanAsync("sj-versions", PlanFixture.SplitShoutJoin.Replace("concurrency: 8", "concurrency: 4", StringComparison.Ordinal));

        using var content = new StringContent("x,y");
        using HttpResponseMessage response = await fixture.Client.PostAsync("/fn/sj-versions/predict?version=1", content);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues("X-Serval-Version").Single());
        Assert.Equal("predict", answer["route"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deploying_a_plan_over_a_missing_or_model_function_is_refused_naming_it()
    {
        var (status, body) = await fixture.DeploySpecAsync("name: p-missing\nplan:\n  steps:\n    - { name: a, function: nowhere }\n");
        Assert.Equal(400, status);
        Assert.Contains("plan 'p-missing' step 'a': function 'nowhere' is not deployed", body);

        (status, body) = await fixture.DeploySpecAsync("name: p-self\nplan:\n  steps:\n    - { function: split }\n    - { name: b, function: split, version: 9 }\n");
        Assert.Equal(400, status);
        Assert.Contains("function 'split' has no version '9'", body);

        (status, body) = await fixture.DeploySpecAsync("name: p-map-first\nplan:\n  steps:\n    - { function: split, map: true }\n");
        Assert.Equal(400, status);
        Assert.Contains("serval.yaml:4", body);
        Assert.Contains("the first step has nothing to map over", body);

        Assert.Equal(404, (int)(await fixture.Client.PostAsync("/fn/p-missing", new StringContent("a"))).StatusCode);
    }

    [Fact]
    public async Task A_gpu_step_on_cpu_nodes_deploys_with_a_warning()
    {
        var (status, body) = await fixture.DeploySpecAsync("name: p-gpu\nplan:\n  steps:\n    - { function: split, runs: gpu }\n");

        Assert.Equal(201, status);
        Assert.Contains("asks to run on a GPU; no node has one", body);
    }

    private async Task<(int Status, JsonNode Answer, HttpResponseMessage Response)> CallAsync(string plan, string body)
    {
        HttpResponseMessage response = await fixture.Client.PostAsync($"/fn/{plan}", new StringContent(body, Encoding.UTF8, "text/plain"));
        string text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonNode.Parse(text) ?? throw new InvalidOperationException("empty answer"), response);
    }
}
