using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Serval.Bench;

/// <summary>
/// Asynchronous invocations of a no-op dotnet function on the embedded store: how many are accepted
/// per second (each durably committed before its 202), how many complete per second, and, on an idle
/// platform, the delay from acceptance to the start of the run. Targets: 2,000 accepted/s and
/// 1,000 completed/s on 2 cores.
/// </summary>
public static class AsyncThroughput
{
    /// <summary>The accepted/s target.</summary>
    public const double AcceptTarget = 2000;

    /// <summary>The completed/s target.</summary>
    public const double CompleteTarget = 1000;

    /// <summary>Runs all three measurements and prints each against its target.</summary>
    public static async Task RunAsync(Platform platform, int invocations, int clients, int idleSamples)
    {
        await DeployNoOpAsync(platform, "async-noop", "instances: { min: 1, max: 2, concurrency: 32 }\n");
        for (int i = 0; i < 20; i++)
        {
            await WaitAsync(platform, await SubmitAsync(platform.Client, "async-noop"));
        }

        // Accepted/s: closed-loop clients submit until the count is reached; completed/s: from the
        // first submission until the last invocation ended (runs overlap the submissions).
        double before = await CompletedAsync(platform);
        int next = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= invocations)
            {
                await SubmitAsync(platform.Client, "async-noop");
            }
        }));
        double acceptSeconds = clock.Elapsed.TotalSeconds;
        for (int i = 0; i < 6000 && await CompletedAsync(platform) - before < invocations; i++)
        {
            await Task.Delay(10);
        }

        double completeSeconds = clock.Elapsed.TotalSeconds;
        double done = await CompletedAsync(platform) - before;
        if (done < invocations)
        {
            throw new InvalidOperationException($"only {done} of {invocations} invocations completed within a minute");
        }

        double accepted = invocations / acceptSeconds, completed = invocations / completeSeconds;
        Console.WriteLine($"async {invocations} no-op invocations, {clients} clients: accepted {accepted:0} /s ({acceptSeconds:0.00} s), all completed {completed:0} /s ({completeSeconds:0.00} s)");
        Console.WriteLine($"async: accepted/s ratio to target {AcceptTarget:0} = {accepted / AcceptTarget:0.00}; completed/s ratio to target {CompleteTarget:0} = {completed / CompleteTarget:0.00}");

        // Accept → start on an idle platform, one invocation at a time.
        var delays = new List<double>();
        for (int i = 0; i < idleSamples; i++)
        {
            string id = await SubmitAsync(platform.Client, "async-noop");
            JsonNode ended = await WaitAsync(platform, id);
            DateTimeOffset created = DateTimeOffset.Parse((string)ended["createdAt"]!, CultureInfo.InvariantCulture);
            DateTimeOffset started = DateTimeOffset.Parse((string)ended["attempts"]![0]!["startedAt"]!, CultureInfo.InvariantCulture);
            delays.Add((started - created).TotalMilliseconds);
            await Task.Delay(20);
        }

        Console.WriteLine($"async accept → start, idle: {Stats.Describe(delays)} (timestamps in whole ms)");
    }

    /// <summary>Deploys the test handlers' NoOp (built Release by bench/run.sh) as a dotnet function.</summary>
    public static Task DeployNoOpAsync(Platform platform, string name, string extra)
    {
        string dir = Path.Combine(Repo.Root, "tests/Serval.Instance.TestHandlers/bin/Release/net10.0");
        return platform.DeploySpecAsync(
            $"name: {name}\nruntime: dotnet\nhandler: Serval.Instance.TestHandlers.NoOp\n{extra}",
            new[] { "Serval.Instance.TestHandlers.dll", "Serval.Instance.TestHandlers.deps.json" }.Select(f => (f, Path.Combine(dir, f))));
    }

    private static Task<string> SubmitAsync(HttpClient client, string function) =>
        AsyncCalls.SubmitAsync(client, function, "{}"u8.ToArray(), "application/json");

    private static Task<JsonNode> WaitAsync(Platform platform, string id) =>
        AsyncCalls.WaitAsync(platform.Client, id, TimeSpan.FromMilliseconds(2), TimeSpan.FromMinutes(1));

    /// <summary>Async invocations that succeeded so far, from the platform's <c>serval_async_invocations_total{status="Succeeded"}</c>.</summary>
    private static async Task<double> CompletedAsync(Platform platform)
    {
        string metrics = await platform.Client.GetStringAsync("/metrics");
        double total = 0;
        foreach (string line in metrics.Split('\n'))
        {
            if (line.StartsWith("serval_async_invocations_total{", StringComparison.Ordinal) && line.Contains("status=\"Succeeded\"", StringComparison.Ordinal))
            {
                total += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return total;
    }
}
