using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Serval.Server.Tests.Support;

namespace Serval.Server.Tests.Plans;

/// <summary>
/// Jobs: a plan invoked asynchronously. It runs later with its map fanned out, ends like any async
/// invocation (result, retries, cancel), and its onSuccess starts the next plan.
/// </summary>
public sealed class JobTests(PlanFixture fixture) : IClassFixture<PlanFixture>
{
    [Fact]
    public async Task An_async_plan_answers_202_and_its_job_gathers_the_map_in_order()
    {
        await fixture.DeployPlanAsync("job-basic", PlanFixture.SplitShoutJoin);
        var items = Enumerable.Range(0, 30).Select(i => i % 4 == 0 ? "rand:30" : $"w{i}").ToList();

        string id = await AsyncCalls.SubmitAsync(fixture.Client, "job-basic", string.Join(",", items));
        JsonNode job = await AsyncCalls.WaitAsync(fixture.Client, id, TimeSpan.FromSeconds(60));

        Assert.Equal("Succeeded", (string)job["status"]!);
        JsonNode result = job["result"]!;
        Assert.Equal(items.Select(i => i.ToUpperInvariant() + "!"), result["items"]!.AsArray().Select(i => (string)i!));
        Assert.Equal(30, (int)result["meta"]!["count"]!);
        using HttpResponseMessage body = await fixture.Client.GetAsync($"/v1/invocations/{id}/result");
        Assert.Equal(HttpStatusCode.OK, body.StatusCode);
        Assert.Contains("shout[30]=", body.Headers.GetValues("X-Serval-Steps").Single());
    }

    [Fact]
    public async Task A_failing_item_fails_the_job_naming_step_and_item_after_its_retries()
    {
        await fixture.DeployPlanAsync("job-fail", PlanFixture.SplitShoutJoin + "\nasync: { retries: 1 }");

        string id = await AsyncCalls.SubmitAsync(fixture.Client, "job-fail", "a,b,fail,d");
        JsonNode job = await AsyncCalls.WaitAsync(fixture.Client, id, TimeSpan.FromSeconds(60));

        Assert.Equal("Failed", (string)job["status"]!);
        Assert.Equal(2, job["attempts"]!.AsArray().Count);
        Assert.Contains("plan 'job-fail' step 'shout' item 2 of 4", (string)job["reason"]!);
        Assert.Contains("item 'fail' cannot be shouted", (string)job["reason"]!);
    }

    [Fact]
    public async Task A_running_job_is_cancelled_with_its_items()
    {
        await fixture.DeployPlanAsync("job-cancel", PlanFixture.SplitShoutJoin);

        string id = await AsyncCalls.SubmitAsync(fixture.Client, "job-cancel", "sleep:20000,sleep:20000,a");
        await AsyncCalls.WaitAsync(fixture.Client, id, TimeSpan.FromSeconds(30), "Running");
        var clock = Stopwatch.StartNew();
        using HttpResponseMessage cancel = await fixture.Client.PostAsync($"/v1/invocations/{id}/cancel", null);
        JsonNode job = await AsyncCalls.WaitAsync(fixture.Client, id, TimeSpan.FromSeconds(10));

        Assert.Equal("Cancelled", (string)job["status"]!);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"the cancel took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_jobs_onSuccess_starts_the_next_plan_with_its_record()
    {
        await fixture.Server.DeployPublishedAsync("job-echo", fixture.Published, "Serval.Instance.TestHandlers.Echo");
        await fixture.DeployPlanAsync("job-next", "plan:\n  steps:\n    - { function: job-echo }\n");
        await fixture.DeployPlanAsync("job-first", PlanFixture.SplitShoutJoin + "\nasync: { onSuccess: job-next }");

        string id = await AsyncCalls.SubmitAsync(fixture.Client, "job-first", "x,y");
        JsonNode first = await AsyncCalls.WaitAsync(fixture.Client, id, TimeSpan.FromSeconds(60));
        Assert.Equal("Succeeded", (string)first["status"]!);
        string next = (string)Assert.Single(first["deliveries"]!.AsArray())!["invocation"]!;
        JsonNode second = await AsyncCalls.WaitAsync(fixture.Client, next, TimeSpan.FromSeconds(60));

        Assert.Equal("Succeeded", (string)second["status"]!);
        Assert.Equal("job-next", (string)second["function"]!);
        Assert.Equal(id, (string)second["parent"]!);
        Assert.Equal(["X!", "Y!"], second["result"]!["responsePayload"]!["items"]!.AsArray().Select(i => (string)i!));
    }

    [Fact]
    public async Task A_plan_has_no_instances_to_list_or_scale()
    {
        await fixture.DeployPlanAsync("job-shape", PlanFixture.SplitShoutJoin);

        foreach (string path in new[] { "instances", "scaling" })
        {
            using HttpResponseMessage response = await fixture.Client.GetAsync($"/v1/functions/job-shape/{path}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("'job-shape' is a plan: it has no instances of its own", await Json.ErrorAsync(response));
        }

        JsonNode model = await Json.ReadAsync(await fixture.Client.GetAsync("/v2/models/job-shape"));
        Assert.Equal("serval_plan", (string)model["platform"]!);
    }
}
