using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Serval.Bench;

/// <summary>
/// p99 while traffic moves between versions against p99 at steady load: 8 closed-loop clients on cls
/// <c>[1,3,48,192]</c> all along; each round holds 5 s steady, then switches the serving version (a
/// deploy without <c>release:</c>, which checks the package, readies the new version's instances,
/// moves traffic, then drains the old ones), watches 3 s, and holds 5 s steady again. The switch
/// window runs from just before the deploy answered (traffic moves then) to 3 s after (the drain
/// grace and the drains inside it); the deploy window from the request on. Steady is the 5 s before
/// and the 5 s after. Then one progressive
/// release (steps 10, 50, 100 at 2 s) and a rollback by hand, each with its window's p99 and errors.
/// </summary>
public static class ReleaseSwitch
{
    private const string Model = "ch_ppocr_mobile_v2.0_cls_infer.onnx";

    /// <summary>Runs <paramref name="rounds"/> switches, the release and the rollback; prints each ratio and returns the median switch ratio.</summary>
    public static async Task<double> RunAsync(Platform platform, int rounds)
    {
        int version = 0;
        await DeployAsync(platform, ++version, null);
        var recorder = new LoadRecorder(platform, new Payload([1, 3, 48, 192]), "/fn/switch");
        using var done = new CancellationTokenSource();
        Task load = recorder.RunAsync(_ => 8, 3600, done.Token);
        await WaitAsync(recorder, 2); // the first instance and the JIT are warm

        var ratios = new List<double>();
        var deployRatios = new List<double>();
        var quietRatios = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            double steadyFrom = recorder.Now;
            await WaitAsync(recorder, 5);
            double from = recorder.Now;
            await DeployAsync(platform, ++version, null);
            double answered = recorder.Now;
            await WaitAsync(recorder, 3);
            double after = recorder.Now;
            await WaitAsync(recorder, 5);
            // Steady: the 5 s before the deploy and the 5 s after the switch window, so a machine
            // whose speed drifts (it is shared) weighs on both sides alike.
            var (steady, steadyErrors) = Window(recorder, steadyFrom, from, after, recorder.Now);
            var (deploying, deployErrors) = Window(recorder, from, answered + 3);
            var (switching, errors) = Window(recorder, answered - 0.25, answered + 3);
            double p99 = Stats.Percentile(steady, 99);
            double ratio = Stats.Percentile(switching, 99) / p99;
            ratios.Add(ratio);
            // A/A: a window as long as the switch's, from the steady time just before the deploy,
            // against the same steady p99: how far this machine's p99 wanders without a switch.
            var (quiet, _) = Window(recorder, from - 3.25, from);
            quietRatios.Add(Stats.Percentile(quiet, 99) / p99);
            deployRatios.Add(Stats.Percentile(deploying, 99) / p99);
            Console.WriteLine($"release switch {round + 1}: v{version - 1} → v{version}, deploy answered in {answered - from:0.0} s; steady p99 {p99:0.0} ms (n={steady.Count}, {steadyErrors} errors); "
                + $"whole deploy p99 {Stats.Percentile(deploying, 99):0.0} ms (n={deploying.Count}, {deployErrors} errors, {Cold(recorder, from, answered + 3)} cold) → {deployRatios[^1]:0.00}; "
                + $"switch and drain p99 {Stats.Percentile(switching, 99):0.0} ms (n={switching.Count}, {errors} errors) → {ratio:0.00}; A/A {quietRatios[^1]:0.00}");
        }

        // A progressive release to the next version, then a rollback by hand of that promotion.
        double releaseFrom = recorder.Now;
        await DeployAsync(platform, ++version, "release: { steps: [10, 50, 100], interval: 2s, minRequests: 20, maxLatencyRatio: 3 }");
        string state = await WaitForEndAsync(platform);
        double releaseEnd = recorder.Now;
        await WaitAsync(recorder, 3);
        double rollbackFrom = recorder.Now;
        using (var rollback = await platform.Client.PostAsync("/v1/functions/switch/release", new StringContent("{\"action\": \"rollback\"}", System.Text.Encoding.UTF8, "application/json")))
        {
            rollback.EnsureSuccessStatusCode();
        }

        double rollbackAnswered = recorder.Now;
        await WaitAsync(recorder, 4);
        done.Cancel();
        await load;

        var (baseline, _) = Window(recorder, releaseFrom - 6, releaseFrom);
        var (released, releaseErrors) = Window(recorder, releaseFrom, releaseEnd + 3);
        var (rolledBack, rollbackErrors) = Window(recorder, rollbackFrom, rollbackAnswered + 3);
        Console.WriteLine($"release progressive v{version - 1} → v{version}: {state} after {releaseEnd - releaseFrom:0.0} s; p99 {Stats.Percentile(released, 99):0.0} ms (n={released.Count}, {releaseErrors} errors) "
            + $"→ ratio {Stats.Percentile(released, 99) / Stats.Percentile(baseline, 99):0.00} to the steady {Stats.Percentile(baseline, 99):0.0} ms before it");
        Console.WriteLine($"release rollback v{version} → v{version - 1}: p99 {Stats.Percentile(rolledBack, 99):0.0} ms (n={rolledBack.Count}, {rollbackErrors} errors) "
            + $"→ ratio {Stats.Percentile(rolledBack, 99) / Stats.Percentile(baseline, 99):0.00}");
        double median = ratios.Order().ElementAt(ratios.Count / 2);
        double deployMedian = deployRatios.Order().ElementAt(deployRatios.Count / 2);
        double quietMedian = quietRatios.Order().ElementAt(quietRatios.Count / 2);
        int failed = recorder.Samples.Count(s => s.Status != 200);
        Console.WriteLine($"release: p99 during the switch and drain / steady p99, median of {rounds} = {median:0.00} (target ≤ 1.2); "
            + $"during the whole deploy (check instance, new instances loading beside the old) = {deployMedian:0.00}; A/A (a steady window of the same length) = {quietMedian:0.00}; {failed} failed requests of {recorder.Samples.Count} (target 0)");
        return median;
    }

    private static Task DeployAsync(Platform platform, int version, string? release) =>
        // Each version differs by its timeout alone: the same model, a new version.
        platform.DeploySpecAsync($"name: switch\nruntime: onnx\nmodel: {Model}\ntimeout: {30 + version}s\ninstances: {{ max: 2, concurrency: 8 }}\n{(release is null ? "" : release + "\n")}", [(Model, Repo.Cls)]);

    private static async Task<string> WaitForEndAsync(Platform platform)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            var status = JsonNode.Parse(await platform.Client.GetStringAsync("/v1/functions/switch/release"))!;
            if ((string?)status["release"]?["state"] is { } state and not "running")
            {
                return state;
            }

            await Task.Delay(100);
        }

        return "still running after 2 min";
    }

    private static (List<double> Latencies, int Errors) Window(LoadRecorder recorder, double from, double to, double from2 = 0, double to2 = 0)
    {
        var samples = recorder.Samples.Where(s => (s.EndSeconds >= from && s.EndSeconds < to) || (s.EndSeconds >= from2 && s.EndSeconds < to2)).ToList();
        return (samples.Select(s => s.LatencyMs).ToList(), samples.Count(s => s.Status != 200));
    }

    private static int Cold(LoadRecorder recorder, double from, double to) =>
        recorder.Samples.Count(s => s.EndSeconds >= from && s.EndSeconds < to && s.Cold);

    private static async Task WaitAsync(LoadRecorder recorder, double seconds)
    {
        double until = recorder.Now + seconds;
        while (recorder.Now < until)
        {
            await Task.Delay(50);
        }
    }
}
