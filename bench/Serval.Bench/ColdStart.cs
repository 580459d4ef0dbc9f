using System.Diagnostics;
using Serval.Core.Tensors;
using Serval.Onnx;

namespace Serval.Bench;

/// <summary>
/// Cold start: a request to a function with no instance, until its answer (process start, runtime
/// load, session create, warm-up, the run), against the in-process floor: session create + first run
/// in this already-warm process. Each round deploys a fresh function so no instance exists. Run in
/// four platform configurations, each started afresh, to show what the graph cache and the warm pool
/// each contribute.
/// </summary>
public static class ColdStart
{
    /// <summary>
    /// A pause before each round so the previous round's aftermath (the stopped instance, the pool's
    /// refill, about 0.3 s of CPU) is over before anything is timed; the same in every configuration.
    /// </summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    /// <summary>The configurations compared: a label and the platform's arguments.</summary>
    public static readonly (string Label, string[] Arguments)[] Configurations =
    [
        ("no pool, no graph cache", ["--warm-pool", "0", "--graph-cache", "off"]),
        ("graph cache only", ["--warm-pool", "0", "--graph-cache", "on"]),
        ("warm pool only", ["--warm-pool", "2", "--graph-cache", "off"]),
        ("warm pool + graph cache", ["--warm-pool", "2", "--graph-cache", "on"]),
    ];

    /// <summary>Runs det and rec in every configuration and prints a summary table of p50 ratios.</summary>
    public static async Task RunAllAsync(int rounds)
    {
        var summary = new List<string>();
        foreach (var (label, arguments) in Configurations)
        {
            Console.WriteLine($"== cold start, {label} (serval {string.Join(" ", arguments)})");
            await using Platform platform = await Platform.StartAsync(arguments);
            summary.Add(await RunAsync(platform, label, "det", Repo.Det, [1, 3, 640, 640], rounds));
            summary.Add(await RunAsync(platform, label, "rec", Repo.Rec, [1, 3, 48, 320], rounds));
        }

        Console.WriteLine("| configuration | model | in-process floor p50 (p95) | Serval cold start p50 (p95) | p50 ratio |");
        Console.WriteLine("|---|---|---|---|---|");
        summary.ForEach(Console.WriteLine);
    }

    /// <summary>Measures <paramref name="rounds"/> cold starts and returns the summary table row.</summary>
    public static async Task<string> RunAsync(Platform platform, string configuration, string label, string model, long[] shape, int rounds)
    {
        var payload = new Payload(shape);
        var floor = new List<double>();
        var cold = new List<double>();
        var create = new List<double>();
        var firstRun = new List<double>();
        var parts = new List<(double Ready, double Load, double Warmup)>();
        var input = new NamedTensor[] { new("x", Tensor.From<float>(payload.Values, shape)) };
        for (int round = 0; round < rounds; round++)
        {
            string name = $"cold-{label}-{round}";
            await platform.DeployAsync(name, model);
            await Task.Delay(Settle);
            long t = Stopwatch.GetTimestamp();
            using (var session = new InferenceSession(model, new SessionOptions { IntraOpThreads = 1 }))
            {
                double created = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                using (session.RunRaw(input))
                {
                    floor.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                    create.Add(created);
                    firstRun.Add(floor[^1] - created);
                }
            }

            using HttpRequestMessage request = payload.Request($"/fn/{name}");
            t = Stopwatch.GetTimestamp();
            using HttpResponseMessage response = await platform.Client.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            cold.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            if (!response.IsSuccessStatusCode || response.Headers.GetValues("X-Serval-Cold-Start").Single() != "true")
            {
                throw new InvalidOperationException($"round {round} of {label} was not a successful cold start");
            }

            // What the instance says its start cost: from assignment (or process start) to ready, of
            // which the session's creation and the warm-up run.
            using (var listing = System.Text.Json.JsonDocument.Parse(await platform.Client.GetStringAsync($"/v1/functions/{name}/instances")))
            {
                var startup = listing.RootElement[0].GetProperty("startup");
                parts.Add((startup.GetProperty("readyMs").GetDouble(), startup.GetProperty("loadMs").GetDouble(), startup.GetProperty("warmupMs").GetDouble()));
            }

            using var _ = await platform.Client.DeleteAsync($"/v1/functions/{name}");
        }

        double ratio = Stats.Percentile(cold, 50) / Stats.Percentile(floor, 50);
        Console.WriteLine($"cold start {label} [{string.Join(",", shape)}]: in-process floor {Stats.Describe(floor)}");
        Console.WriteLine($"cold start {label} [{string.Join(",", shape)}]: Serval          {Stats.Describe(cold)}");
        Console.WriteLine($"cold start {label}: p50 ratio Serval/floor = {ratio:0.00}");
        double ready = Stats.Percentile(parts.Select(p => p.Ready).ToList(), 50);
        double load = Stats.Percentile(parts.Select(p => p.Load).ToList(), 50);
        double warmup = Stats.Percentile(parts.Select(p => p.Warmup).ToList(), 50);
        Console.WriteLine(
            $"cold start {label}: where it goes (p50): assign → ready {ready:0.0} ms = session create {load:0.0} ms (in-process {Stats.Percentile(create, 50):0.0} ms) " +
            $"+ warm-up run {warmup:0.0} ms + the rest of the start {ready - load - warmup:0.0} ms; " +
            $"the request around it {Stats.Percentile(cold, 50) - ready:0.0} ms (in-process first run {Stats.Percentile(firstRun, 50):0.0} ms)");
        return $"| {configuration} | {label} `[{string.Join(",", shape)}]` | {Stats.Percentile(floor, 50):0} ms ({Stats.Percentile(floor, 95):0} ms) " +
            $"| {Stats.Percentile(cold, 50):0} ms ({Stats.Percentile(cold, 95):0} ms) | {ratio:0.00} |";
    }
}
