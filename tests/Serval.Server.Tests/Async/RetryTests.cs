using System.Text.Json.Nodes;
using Serval.Server.Tests.Support;

namespace Serval.Server.Tests.Async;

/// <summary>Retries by error class, with the back-off's timing, on real dotnet functions.</summary>
public sealed class RetryTests : IAsyncLifetime
{
    /// <summary>A short back-off so the test is quick: the n-th retry waits up to 200 ms · 2ⁿ⁻¹.</summary>
    private static readonly TimeSpan Base = TimeSpan.FromMilliseconds(200);

    private readonly RunLog _runs = new();
    private readonly ServerFixture _server = new(configure: o => o with { Async = o.Async with { Retry = new Core.Async.RetryOptions { BaseDelay = Base, MaxDelay = TimeSpan.FromSeconds(5) } } });

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        await _server.DeployHandlerAsync("flaky", "Flaky", "async: { retries: 2 }\n", _runs);
        await _server.DeployHandlerAsync("broken", "AlwaysFail", "async: { retries: 0 }\n");
        await _server.DeployHandlerAsync("sleepy", "Slow", "timeout: 1s\nasync: { retries: 1 }\n");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _runs.Dispose();
    }

    [Fact]
    public async Task FailsTwiceThenSucceeds_ThreeAttemptsWithBackoffBetween()
    {
        string id = await AsyncCalls.SubmitAsync(_server.Client, "flaky", "2");

        JsonNode done = await AsyncCalls.WaitAsync(_server.Client, id, TimeSpan.FromSeconds(30));

        Assert.Equal("Succeeded", (string)done["status"]!);
        Assert.Equal(3, (int)done["result"]!["succeededOn"]!);
        JsonArray attempts = done["attempts"]!.AsArray();
        Assert.Equal([1, 2, 3], attempts.Select(a => (int)a!["n"]!));
        Assert.Equal(3, _runs.Of(id));
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal("function", (string)attempts[i]!["errorClass"]!);
            Assert.Contains($"attempt {i + 1} fails on purpose", (string)attempts[i]!["error"]!);

            // Each retry starts after the attempt before it ended. How long it waits (a jittered delay
            // under 200 ms · 2^i) is the policy's, shown on a fixed clock in RetryPolicyTests: a real
            // clock on a shared machine adds the time to claim it again, which no bound here can know.
            TimeSpan gap = DateTimeOffset.Parse((string)attempts[i + 1]!["startedAt"]!) - DateTimeOffset.Parse((string)attempts[i]!["endedAt"]!);
            Assert.True(gap >= TimeSpan.Zero, $"retry {i + 1} started {gap} before attempt {i + 1} ended");
        }

        Assert.Null(attempts[2]!["error"]);
        Assert.Null(done["reason"]);
        Assert.Equal("Success", (string)done["condition"]!);
    }

    [Fact]
    public async Task FailsMoreThanRetries_FailedAfterThreeRunsWithTheReason()
    {
        string id = await AsyncCalls.SubmitAsync(_server.Client, "flaky", "5");

        JsonNode done = await AsyncCalls.WaitAsync(_server.Client, id, TimeSpan.FromSeconds(30));

        Assert.Equal("Failed", (string)done["status"]!);
        Assert.Equal(3, done["attempts"]!.AsArray().Count);
        Assert.Equal(3, _runs.Of(id));
        Assert.Equal("RetriesExhausted", (string)done["condition"]!);
        Assert.StartsWith("retries exhausted: all 3 runs failed (async.retries: 2); last error: ", (string)done["reason"]!);
        Assert.Contains("attempt 3 fails on purpose", (string)done["reason"]!);
    }

    [Fact]
    public async Task FunctionAnswers500WithNoRetries_FailedOnceWithItsAnswerKept()
    {
        string id = await AsyncCalls.SubmitAsync(_server.Client, "broken", "x");

        JsonNode done = await AsyncCalls.WaitAsync(_server.Client, id, TimeSpan.FromSeconds(30));

        Assert.Equal("Failed", (string)done["status"]!);
        JsonNode attempt = Assert.Single(done["attempts"]!.AsArray())!;
        Assert.Equal("function", (string)attempt["errorClass"]!);
        Assert.Contains("the function answered 500", (string)attempt["error"]!);
        Assert.Equal(500, (int)done["resultStatus"]!);
        Assert.Equal($"always fails ({id})", (string)done["result"]!["error"]!);
        Assert.StartsWith("retries exhausted: its one run failed (async.retries: 0)", (string)done["reason"]!);
    }

    [Fact]
    public async Task RunPastTimeout_TimeoutClassCountsAgainstRetries()
    {
        string id = await AsyncCalls.SubmitAsync(_server.Client, "sleepy", "5000");

        JsonNode done = await AsyncCalls.WaitAsync(_server.Client, id, TimeSpan.FromSeconds(30));

        Assert.Equal("Failed", (string)done["status"]!);
        JsonArray attempts = done["attempts"]!.AsArray();
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a => Assert.Equal("timeout", (string)a!["errorClass"]!));
        Assert.Contains("deadline of 1 s", (string)attempts[0]!["error"]!);
    }
}
