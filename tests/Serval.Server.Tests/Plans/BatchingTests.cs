using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Serval.Server.Tests.Plans;

/// <summary>Dynamic batching in a real instance: across concurrent requests and across a map's items, each answer its own.</summary>
public sealed class BatchingTests(PlanFixture fixture) : IClassFixture<PlanFixture>
{
    [Fact]
    public async Task Concurrent_requests_are_batched_and_each_gets_its_own_answer()
    {
        var bodies = Enumerable.Range(0, 8).Select(i => $"r{i}" + new string('x', i)).ToList();

        string[] answers = await Task.WhenAll(bodies.Select(b => PostAsync("/fn/batch-echo", b)));

        for (int i = 0; i < bodies.Count; i++)
        {
            Assert.StartsWith(bodies[i] + "|batch=", answers[i]);
        }

        int largest = answers.Max(a => BatchOf(a));
        Assert.True(largest >= 4, $"8 concurrent requests with a 200 ms delay should share batches; answers: {string.Join("; ", answers)}");
    }

    [Fact]
    public async Task Without_batching_the_same_handler_serves_requests_alone()
    {
        string[] answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => PostAsync("/fn/echo-alone", $"q{i}")));

        Assert.All(answers, a => Assert.Equal(1, BatchOf(a)));
    }

    [Fact]
    public async Task The_items_of_a_map_are_batched_together()
    {
        var (status, body) = await fixture.DeploySpecAsync("""
            name: batched-map
            plan:
              steps:
                - { function: split }
                - { function: batch-echo, map: true }
                - { function: join }
            """);
        Assert.True(status is 200 or 201, body);

        string answer = await PostAsync("/fn/batched-map", "a,bb,ccc,dddd,eeeee,ffffff");
        var items = JsonNode.Parse(answer)!["items"]!.AsArray().Select(i => i!.GetValue<string>()).ToList();

        Assert.Equal(["a", "bb", "ccc", "dddd", "eeeee", "ffffff"], items.Select(i => i.Split('|')[0]));
        Assert.True(items.Max(BatchOf) >= 3, $"six items sent at once should share batches: {string.Join("; ", items)}");
    }

    [Fact]
    public async Task Batching_asks_for_a_handler_that_can_batch()
    {
        var (status, body) = await fixture.DeploySpecAsync("name: bad-batch\nruntime: dotnet\nhandler: X.Y\nbatching: { max: 8 }\n");

        Assert.Equal(400, status);
        Assert.Contains("a batch of 8 needs 8 invocations in one instance at once, but instances.concurrency is 4", body);
    }

    [Fact]
    public async Task Batching_a_handler_that_cannot_batch_is_refused_at_deploy()
    {
        var files = Directory.GetFiles(fixture.Published, "*", SearchOption.AllDirectories)
            .Select(f => (Path.GetRelativePath(fixture.Published, f), File.ReadAllBytes(f))).ToArray();
        using HttpResponseMessage response = await fixture.Server.DeployBytesAsync(
            "name: split-batched\nruntime: dotnet\nhandler: Serval.Instance.TestHandlers.Split\ninstances: { concurrency: 4 }\nbatching: { max: 4 }\n", files);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("does not implement Serval.Sdk.IBatchFunctionHandler", await response.Content.ReadAsStringAsync());
    }

    private static int BatchOf(string answer) =>
        int.Parse(answer.Split('|').Single(p => p.StartsWith("batch=", StringComparison.Ordinal))[6..], System.Globalization.CultureInfo.InvariantCulture);

    private async Task<string> PostAsync(string path, string body)
    {
        using HttpResponseMessage response = await fixture.Client.PostAsync(path, new StringContent(body, Encoding.UTF8, "text/plain"));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return text;
    }
}
