using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Serval.Server.Tests.Support;
using Serval.TestSupport;

namespace Serval.Server.Tests;

/// <summary>Instances that come and go with load: real instance processes, the real autoscaler on a 200 ms tick.</summary>
public sealed class ScalingTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new(maxBodyBytes: 64 << 20, configure: o => o with { HungGrace = TimeSpan.FromSeconds(2) });

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    private static HttpContent RecInput(int width, int seed = 1) => InferenceTests.Raw(Inputs.Floats(3 * 48 * width, seed), $"1,3,48,{width}");

    [Fact]
    public async Task Burst_FromZero_AllAnswer200_ScalesOut_ThenIdleToZero()
    {
        await _server.DeployModelAsync("burst", Paths.RecModel, "instances: { max: 4, concurrency: 2, idle: 2s }\nresources: { cpu: 0.25 }");
        Assert.Empty(await _server.InstancesAsync("burst"));

        // 50 at once on a 2-slot instance: the queue holds them while the autoscaler adds instances.
        var calls = Enumerable.Range(0, 50).Select(async i =>
        {
            using HttpResponseMessage r = await _server.Client.PostAsync("/fn/burst", RecInput(640, i));
            return (r.StatusCode, r.Headers.GetValues("X-Serval-Instance").FirstOrDefault() ?? "");
        }).ToArray();
        var results = await Task.WhenAll(calls);

        Assert.All(results, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        int servedBy = results.Select(r => r.Item2).Distinct().Count();
        Assert.True(servedBy > 1, $"all 50 were served by one instance; the autoscaler never scaled out");

        await _server.WaitForInstancesAsync("burst", i => i.Count == 0, TimeSpan.FromSeconds(20), "scale to zero after idle");
    }

    [Fact]
    public async Task Provisioned_Min1_FirstRequestIsNotCold()
    {
        await _server.DeployModelAsync("warm", Paths.ClsModel, "instances: { min: 1, idle: 1s }");
        await _server.WaitForInstancesAsync("warm", i => i.Count == 1 && (string?)i[0]!["state"] == "Ready", TimeSpan.FromSeconds(20), "the provisioned instance");
        using var r = await _server.Client.PostAsync("/fn/warm", InferenceTests.Raw(Inputs.Floats(3 * 48 * 192), "1,3,48,192"));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("false", r.Headers.GetValues("X-Serval-Cold-Start").Single());

        // idle does not take the provisioned instance away.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(await _server.InstancesAsync("warm"));
    }

    [Fact]
    public async Task Kill9_UnderLoad_FailsOnlyItsInFlight_AndIsReplaced()
    {
        await _server.DeployModelAsync("sturdy", Paths.RecModel, "instances: { min: 2, max: 2, concurrency: 2, idle: 60s }\nresources: { cpu: 0.25 }");
        JsonArray ready = await _server.WaitForInstancesAsync("sturdy", i => i.Count == 2 && i.All(x => (string?)x!["state"] == "Ready"), TimeSpan.FromSeconds(30), "two provisioned instances");
        int victim = (int)ready[0]!["pid"]!;
        string victimId = (string)ready[0]!["id"]!;

        using var stop = new CancellationTokenSource();
        var failures = new List<(HttpStatusCode, string)>();
        int ok = 0;
        var clients = Enumerable.Range(0, 6).Select(async c =>
        {
            for (int n = 0; !stop.IsCancellationRequested && n < 200; n++)
            {
                using HttpResponseMessage r = await _server.Client.PostAsync("/fn/sturdy", RecInput(320, c * 1000 + n));
                if (r.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref ok);
                }
                else
                {
                    string body = await r.Content.ReadAsStringAsync();
                    lock (failures)
                    {
                        failures.Add((r.StatusCode, body));
                    }
                }
            }
        }).ToArray();

        // Killed once load is flowing (answers are coming back), not after a guessed delay; the
        // clients go on for 2.5 s more, so the replacement and the survivor serve the rest.
        await Eventually.TrueAsync(() => Volatile.Read(ref ok) >= 10, "the load is flowing", TimeSpan.FromSeconds(30));
        Process.GetProcessById(victim).Kill();
        stop.CancelAfter(TimeSpan.FromSeconds(2.5));
        await Task.WhenAll(clients);

        // At most the victim's slots (concurrency 2) fail, each a 502 naming it.
        Assert.True(failures.Count <= 2, $"{failures.Count} requests failed: {string.Join(" | ", failures)}");
        Assert.All(failures, f => Assert.Equal(HttpStatusCode.BadGateway, f.Item1));
        Assert.All(failures, f => Assert.Contains(victimId, f.Item2));
        Assert.True(ok > 20, $"only {ok} requests succeeded");

        await _server.WaitForInstancesAsync("sturdy", i => i.Count == 2 && i.All(x => (string?)x!["state"] == "Ready" && (string?)x["id"] != victimId), TimeSpan.FromSeconds(30), "a replacement for the killed instance");
    }

    [Fact]
    public async Task HungInstance_CutAtTimeout_ThenKilledAndReplaced()
    {
        using var runs = new RunLog();
        await _server.DeployHandlerAsync("stuck", "Slow", "timeout: 2s\n", runs);
        // A warm-up call; on a busy machine a cold start can itself pass the deadline.
        HttpStatusCode warmed = HttpStatusCode.GatewayTimeout;
        for (int attempt = 0; attempt < 5 && warmed != HttpStatusCode.OK; attempt++)
        {
            using var warm = await _server.Client.PostAsync("/fn/stuck", new StringContent("0"));
            warmed = warm.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, warmed);

        JsonNode instance = (await _server.InstancesAsync("stuck"))[0]!;
        int pid = (int)instance["pid"]!;
        string id = (string)instance["id"]!;
        // A run of 60 s that would honour its cancellation, frozen once it has started (the handler
        // notes the run as it starts): the whole process can neither answer nor stop the run.
        int before = runs.Counts().Count;
        Task<HttpResponseMessage> call = _server.Client.PostAsync("/fn/stuck", new StringContent("60000"));
        var waited = Stopwatch.StartNew();
        while (runs.Counts().Count == before)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(1.5), "the call did not start on the instance well within its deadline");
            await Task.Delay(10);
        }

        Signal(pid, "STOP");

        var clock = Stopwatch.StartNew();
        using HttpResponseMessage cut = await call;
        Assert.Equal(HttpStatusCode.GatewayTimeout, cut.StatusCode);
        Assert.Contains("2 s", await Json.ErrorAsync(cut));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"the timeout took {clock.Elapsed.TotalSeconds:0.0} s");

        await _server.WaitForInstancesAsync("stuck", i => i.All(x => (string?)x!["id"] != id), TimeSpan.FromSeconds(15), "the hung instance being killed");
        Assert.False(DeployTests.ProcessAlive(pid), "the hung instance is still alive");
        using var again = await _server.Client.PostAsync("/fn/stuck", new StringContent("0"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.NotEqual(id, again.Headers.GetValues("X-Serval-Instance").Single());
    }

    [Fact]
    public async Task CallerTimeout_ShorterThanFunctions_504AtCallersDeadline()
    {
        await _server.DeployModelAsync("slowish", Paths.DetModel);
        using (var warm = await _server.Client.PostAsync("/fn/slowish", InferenceTests.Raw(Inputs.Floats(3 * 32 * 32), "1,3,32,32")))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        var request = new HttpRequestMessage(HttpMethod.Post, "/fn/slowish") { Content = InferenceTests.Raw(Inputs.Floats(3 * 1280 * 1280), "1,3,1280,1280") };
        request.Headers.Add("X-Serval-Timeout-Ms", "200");
        using HttpResponseMessage r = await _server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.GatewayTimeout, r.StatusCode);
        Assert.Contains("0.2 s", await Json.ErrorAsync(r));

        var bad = new HttpRequestMessage(HttpMethod.Post, "/fn/slowish") { Content = InferenceTests.Raw(Inputs.Floats(3 * 32 * 32), "1,3,32,32") };
        bad.Headers.Add("X-Serval-Timeout-Ms", "soon");
        using HttpResponseMessage refused = await _server.Client.SendAsync(bad);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("X-Serval-Timeout-Ms", await Json.ErrorAsync(refused));
    }

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {pid}") { UseShellExecute = false })!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }
}

/// <summary>Scheduled minimums on a clock the test moves: wall-clock time jumps, timers run in real time.</summary>
public sealed class ScheduleTests : IAsyncLifetime
{
    private readonly ShiftedTimeProvider _clock = new();
    private readonly ServerFixture _server;

    public ScheduleTests()
    {
        _server = new ServerFixture(configure: o => o with { Time = _clock });
    }

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task ScheduledMinimum_TakesEffectAtItsTime_AndTheNextChangeIsShown()
    {
        _clock.SetNow(new DateTimeOffset(2026, 11, 23, 7, 59, 0, TimeSpan.Zero));
        await _server.DeployModelAsync("peak", Paths.ClsModel,
            "instances: { max: 3, idle: 1s }\nschedule:\n  - { cron: \"0 8 * * *\", min: 2 }\n  - { cron: \"0 22 * * *\", min: 0 }\n");

        JsonNode before = await Json.ReadAsync(await _server.Client.GetAsync("/v1/functions/peak/scaling"));
        Assert.Equal(0, (int)before["min"]!);
        Assert.Equal(2, (int)before["nextChange"]!["min"]!);
        Assert.Equal("2 at 2026-11-23 08:00 UTC", (string?)before["nextChange"]!["text"]);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Empty(await _server.InstancesAsync("peak"));

        _clock.SetNow(new DateTimeOffset(2026, 11, 23, 8, 0, 1, TimeSpan.Zero));
        await _server.WaitForInstancesAsync("peak", i => i.Count == 2 && i.All(x => (string?)x!["state"] == "Ready"), TimeSpan.FromSeconds(20), "the 08:00 minimum of 2");
        JsonNode after = await Json.ReadAsync(await _server.Client.GetAsync("/v1/functions/peak/scaling"));
        Assert.Equal(2, (int)after["min"]!);
        Assert.Equal("0 at 2026-11-23 22:00 UTC", (string?)after["nextChange"]!["text"]);

        _clock.SetNow(new DateTimeOffset(2026, 11, 23, 22, 0, 1, TimeSpan.Zero));
        await _server.WaitForInstancesAsync("peak", i => i.Count == 0, TimeSpan.FromSeconds(20), "the 22:00 minimum of 0 (idle instances gone)");
    }
}

/// <summary>Limits: an instance over its memory limit is killed by the node agent; the node never reserves more than it has.</summary>
public sealed class LimitTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new(configure: o => o with { NodeCapacity = new Serval.Node.Capacity.NodeCapacity(1, 64 << 10) });

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task MemoryLimit_InstanceOverIt_IsKilledWithTheReason()
    {
        // A .NET process with ONNX Runtime and a model resides in well over 64 MiB.
        await _server.DeployModelAsync("tight", Paths.ClsModel, "resources: { memory: 64Mi }");
        var clock = Stopwatch.StartNew();
        string? reason = null;
        while (reason is null && clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            using var r = await _server.Client.PostAsync("/fn/tight", InferenceTests.Raw(Inputs.Floats(3 * 48 * 192), "1,3,48,192"));
            if (r.StatusCode == HttpStatusCode.BadGateway)
            {
                reason = await Json.ErrorAsync(r);
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, r.StatusCode);
                await Task.Delay(100);
            }
        }

        Assert.NotNull(reason);
        Assert.Contains("over its limit of 64 MiB (resources.memory)", reason);
    }

    [Fact]
    public async Task Capacity_OneCoreNode_NeverHostsMoreThanItHas()
    {
        // 0.5 cores each on a 1-core node: at most 2 instances, however hard the burst pushes.
        await _server.DeployModelAsync("packed", Paths.RecModel, "instances: { max: 4, concurrency: 1, idle: 60s }\nresources: { cpu: 0.5 }");
        var calls = Enumerable.Range(0, 48).Select(async i =>
        {
            using HttpResponseMessage r = await _server.Client.PostAsync("/fn/packed", InferenceTests.Raw(Inputs.Floats(3 * 48 * 640, i), "1,3,48,640"));
            return r.StatusCode;
        }).ToArray();
        int most = 0;
        while (!calls.All(c => c.IsCompleted))
        {
            most = Math.Max(most, (await _server.InstancesAsync("packed")).Count);
            await Task.Delay(50);
        }

        Assert.All(await Task.WhenAll(calls), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(2, most); // scaled out as far as the node allows, and no further
        string metrics = await _server.Client.GetStringAsync("/metrics");
        Assert.Contains("serval_node_cores 1\n", metrics);
    }
}

/// <summary>Overload is an answer: a full queue says 429 with Retry-After, at once.</summary>
public sealed class OverloadTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new(maxBodyBytes: 64 << 20, configure: o => o with { Dispatch = new Serval.Server.Dispatch.DispatchOptions { QueueLimit = 2 } });

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task FullQueue_ExtraRequests_429WithRetryAfter_OthersServed()
    {
        // States reached, not counts raced: one call holds the only slot, two wait in the queue
        // (seen in the scaling view), and only then do the extra calls come; each is refused at once.
        await _server.DeployHandlerAsync("narrow", "Slow", "instances: { max: 1, concurrency: 1 }");
        using (var warm = await _server.Client.PostAsync("/fn/narrow", new StringContent("1")))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        using var release = new CancellationTokenSource();
        Task<HttpResponseMessage> holder = _server.Client.PostAsync("/fn/narrow", new StringContent("60000"), release.Token);
        await Eventually.TrueAsync(async () => (int?)(await ScalingAsync())["inFlight"] == 1, "one call holds the slot", TimeSpan.FromSeconds(30));
        Task<HttpResponseMessage>[] queued = [.. Enumerable.Range(0, 2).Select(_ => _server.Client.PostAsync("/fn/narrow", new StringContent("1")))];
        await Eventually.TrueAsync(async () => (int?)(await ScalingAsync())["queued"] == 2, "two calls wait in the queue", TimeSpan.FromSeconds(30));

        var refused = new List<(HttpStatusCode Status, TimeSpan? Delta, string Error)>();
        for (int i = 0; i < 5; i++)
        {
            using HttpResponseMessage r = await _server.Client.PostAsync("/fn/narrow", new StringContent("1"));
            refused.Add((r.StatusCode, r.Headers.RetryAfter?.Delta, await Json.ErrorAsync(r)));
        }

        await release.CancelAsync(); // the holder gives the slot up; the queued calls are served
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => holder);
        var served = await Task.WhenAll(queued);

        Assert.All(refused, r => Assert.Equal(HttpStatusCode.TooManyRequests, r.Status));
        Assert.All(refused, r => Assert.Equal(TimeSpan.FromSeconds(1), r.Delta));
        Assert.All(refused, r => Assert.Contains("2 requests are already waiting for narrow v1", r.Error));
        Assert.All(served, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
    }

    private async Task<System.Text.Json.Nodes.JsonNode> ScalingAsync() =>
        await Json.ReadAsync(await _server.Client.GetAsync("/v1/functions/narrow/scaling"));
}
