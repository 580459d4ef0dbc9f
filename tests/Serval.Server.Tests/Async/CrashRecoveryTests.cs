using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Serval.Server.Tests.Support;
using Serval.TestSupport;
using Xunit.Abstractions;

namespace Serval.Server.Tests.Async;

/// <summary>
/// Nothing accepted is lost: 2,000 async invocations, the platform killed with SIGKILL part-way,
/// started again on the same data folder; every accepted invocation ends Succeeded, and only those
/// whose run the kill interrupted ran twice.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Invocations = 2000;

    /// <summary>
    /// Each run takes 30 ms: still a fast function, but long enough that a few dozen runs are in
    /// flight when the platform dies, so the test sees interrupted runs taken up again.
    /// </summary>
    private const string RunMs = "30";

    private readonly string _data = Paths.NewTempDir("serval-crash");
    private readonly RunLog _runs = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _runs.Dispose();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task Kill9PartWay_EveryAcceptedInvocationSucceedsDuplicatesOnlyWhereInterrupted()
    {
        var clock = Stopwatch.StartNew();
        var accepted = new List<string>();
        int completedAtKill;
        await using (ServerProcess first = await ServerProcess.StartAsync(_data, "--warm-pool", "0"))
        {
            using (HttpResponseMessage deployed = await DeployAsync(first.Client))
            {
                Assert.True(deployed.IsSuccessStatusCode, await deployed.Content.ReadAsStringAsync());
            }

            // 16 clients submit; the platform is killed once 400 runs are noted, submissions or not.
            using var stop = new CancellationTokenSource();
            int next = 0;
            var clients = Enumerable.Range(0, 16).Select(async _ =>
            {
                while (Interlocked.Increment(ref next) <= Invocations && !stop.IsCancellationRequested)
                {
                    try
                    {
                        using HttpResponseMessage response = await AsyncCalls.PostAsync(first.Client, "quick", RunMs);
                        if (response.StatusCode == HttpStatusCode.Accepted)
                        {
                            string id = (string)(await Json.ReadAsync(response))["id"]!;
                            lock (accepted)
                            {
                                accepted.Add(id);
                            }
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return; // the platform is gone: not accepted
                    }
                }
            }).ToArray();

            for (int i = 0; i < 2000 && _runs.Counts().Count < 400; i++)
            {
                await Task.Delay(10);
            }

            completedAtKill = _runs.Counts().Count;
            await first.KillAsync();
            stop.Cancel();
            await Task.WhenAll(clients);
        }

        await StopOrphansAsync();
        TimeSpan killedAt = clock.Elapsed;
        int acceptedBeforeRestart = accepted.Count;

        await using ServerProcess second = await ServerProcess.StartAsync(_data, "--warm-pool", "0");
        // Whatever the first did not get to submit, the second accepts.
        while (accepted.Count < Invocations)
        {
            accepted.Add(await AsyncCalls.SubmitAsync(second.Client, "quick", RunMs));
        }

        // Wait until nothing is queued or running (the first's leases expire 10 s after its last renewal).
        while (await CountAsync(second.Client, "Queued") + await CountAsync(second.Client, "Running") > 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"still not done after {clock.Elapsed}:\n{second.Tail}");
            await Task.Delay(200);
        }

        TimeSpan doneAt = clock.Elapsed;
        Dictionary<string, string> statuses = await AllStatusesAsync(second.Client);
        Dictionary<string, int> runs = _runs.Counts();
        var notSucceeded = accepted.Where(id => statuses.GetValueOrDefault(id) != "Succeeded").ToList();
        Assert.True(notSucceeded.Count == 0, $"{notSucceeded.Count} accepted invocations did not succeed: {string.Join(", ", notSucceeded.Take(5).Select(id => $"{id}={statuses.GetValueOrDefault(id, "missing")}"))}");
        Assert.All(accepted, id => Assert.True(runs.GetValueOrDefault(id) >= 1, $"{id} never ran"));

        var duplicates = accepted.Where(id => runs.GetValueOrDefault(id) > 1).ToList();
        foreach (string id in duplicates)
        {
            JsonNode invocation = await AsyncCalls.GetAsync(second.Client, id);
            bool wasInterrupted = invocation["attempts"]!.AsArray().Any(a => ((string?)a!["error"])?.StartsWith("interrupted", StringComparison.Ordinal) == true);
            Assert.True(wasInterrupted, $"{id} ran {runs[id]} times but no run of it was interrupted: {invocation.ToJsonString()}");
            Assert.Equal(2, runs[id]);
        }

        // An interrupted run shows as a second attempt.
        int withTwoAttempts = (await AllAttemptCountsAsync(second.Client)).Count(a => a > 1);
        output.WriteLine($"accepted {accepted.Count} ({acceptedBeforeRestart} before the kill); {completedAtKill} had run when the platform was killed at {killedAt.TotalSeconds:0.0} s");
        output.WriteLine($"all {accepted.Count} Succeeded at {doneAt.TotalSeconds:0.0} s; {withTwoAttempts} were interrupted by the kill and run again; {duplicates.Count} ran twice (each one interrupted), none lost");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90));
    }

    private Task<HttpResponseMessage> DeployAsync(HttpClient client) =>
        ServerFixture.DeployBytesAsync(client, TestHandlers.Spec("quick", "Slow", "instances: { max: 2, concurrency: 16 }\n"), [.. TestHandlers.Files(), _runs.File]);

    private static async Task<int> CountAsync(HttpClient client, string status)
    {
        JsonNode page = await Json.ReadAsync(await client.GetAsync($"/v1/invocations?status={status}&limit=1000"));
        return page["invocations"]!.AsArray().Count;
    }

    private static async Task<Dictionary<string, string>> AllStatusesAsync(HttpClient client)
    {
        var statuses = new Dictionary<string, string>();
        await foreach (JsonNode invocation in ListAllAsync(client))
        {
            statuses[(string)invocation["id"]!] = (string)invocation["status"]!;
        }

        return statuses;
    }

    private static async Task<List<int>> AllAttemptCountsAsync(HttpClient client)
    {
        var counts = new List<int>();
        await foreach (JsonNode invocation in ListAllAsync(client))
        {
            counts.Add((int)invocation["attemptCount"]!);
        }

        return counts;
    }

    private static async IAsyncEnumerable<JsonNode> ListAllAsync(HttpClient client)
    {
        string? after = null;
        for (int page = 0; page < 100; page++)
        {
            JsonNode list = await Json.ReadAsync(await client.GetAsync("/v1/invocations?limit=1000" + (after is null ? "" : $"&after={after}")));
            foreach (JsonNode? invocation in list["invocations"]!.AsArray())
            {
                yield return invocation!;
            }

            after = (string?)list["next"];
            if (after is null)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// The killed platform's instance processes exit when their stdin closes; wait for that (their
    /// command lines name this test's data folder), and kill by id any that did not within 10 s.
    /// </summary>
    private async Task StopOrphansAsync()
    {
        for (int i = 0; i < 100; i++)
        {
            var left = Directory.GetDirectories("/proc").Select(d => Path.GetFileName(d)).Where(n => int.TryParse(n, out _))
                .Where(n => ReadCommandLine(n).Contains(_data, StringComparison.Ordinal)).Select(int.Parse).ToList();
            if (left.Count == 0)
            {
                return;
            }

            if (i == 99)
            {
                foreach (int pid in left)
                {
                    output.WriteLine($"instance process {pid} outlived its platform: killed");
                    Process.GetProcessById(pid).Kill();
                }
            }

            await Task.Delay(100);
        }
    }

    private static string ReadCommandLine(string pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
