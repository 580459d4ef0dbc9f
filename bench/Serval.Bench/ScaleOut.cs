using System.Text.Json.Nodes;

namespace Serval.Bench;

/// <summary>
/// Scale-out reaction: 1 client for 6 s (one instance serves it), then a step to 16 clients for 24 s.
/// The steady p99 is that of the last 10 s at 16 clients; the reaction is the time from the step
/// until every later 500 ms window's p99 is under 2× that steady value. cls with concurrency 1 per
/// instance, so one instance is a real bottleneck and more instances really help on 2 cores.
/// </summary>
public static class ScaleOut
{
    /// <summary>Runs the step and prints the reaction time in seconds.</summary>
    public static async Task<double> RunAsync(Platform platform)
    {
        await platform.DeployAsync("step", Repo.Cls, "instances: { max: 4, concurrency: 1, idle: 60s }");
        var payload = new Payload([1, 3, 48, 192]);
        var recorder = new LoadRecorder(platform, payload, "/fn/step");
        var instances = new List<(double T, int Count)>();
        using var polling = new CancellationTokenSource();
        Task poll = Task.Run(async () =>
        {
            while (!polling.IsCancellationRequested)
            {
                var list = JsonNode.Parse(await platform.Client.GetStringAsync("/v1/functions/step/instances"))!.AsArray();
                instances.Add((recorder.Now, list.Count(i => (string?)i!["state"] == "Ready")));
                await Task.Delay(250);
            }
        });

        await recorder.RunAsync(_ => 1, 6);
        double step = recorder.Now;
        await recorder.RunAsync(_ => 16, 24);
        polling.Cancel();
        await poll;

        var samples = recorder.Samples;
        int errors = samples.Count(s => s.Status != 200);
        double steadyP99 = Stats.Percentile(samples.Where(s => s.EndSeconds > recorder.Now - 10).Select(s => s.LatencyMs).ToList(), 99);
        double before = Stats.Percentile(samples.Where(s => s.EndSeconds < step).Select(s => s.LatencyMs).ToList(), 99);
        // p99 over 0.5 s windows; the reaction is the end of the first window from which p99 stays
        // under 2× steady for 2 s running (a lone GC pause 10 s later is noise, not the step).
        var p99s = new List<(double End, double P99)>();
        for (double w = step; w < recorder.Now - 0.5; w += 0.25)
        {
            var window = samples.Where(s => s.EndSeconds >= w && s.EndSeconds < w + 0.5).Select(s => s.LatencyMs).ToList();
            p99s.Add((w + 0.5 - step, window.Count > 0 ? Stats.Percentile(window, 99) : double.NaN));
        }

        double reaction = double.NaN;
        for (int i = 0; i < p99s.Count && double.IsNaN(reaction); i++)
        {
            var run = p99s.Skip(i).TakeWhile(p => p.End <= p99s[i].End + 2).ToList();
            if (run.All(p => p.P99 <= 2 * steadyP99))
            {
                reaction = p99s[i].End;
            }
        }

        Console.WriteLine("scale-out: p99 by 0.5 s window after the step: " + string.Join(" ", p99s.Where(p => p.End <= 4).Select(p => $"{p.End:0.00}s:{p.P99:0}")));

        string scaled = string.Join(" ", instances.Where(i => i.T >= step - 0.5 && i.T < step + 6).Select(i => $"{i.T - step:+0.0;-0.0}s:{i.Count}"));
        Console.WriteLine($"scale-out cls 1 → 16 clients: p99 at 1 client {before:0.0} ms; steady p99 at 16 clients {steadyP99:0.0} ms; {errors} errors of {samples.Count}");
        Console.WriteLine($"scale-out: ready instances after the step: {scaled}");
        Console.WriteLine($"scale-out: seconds until p99 stays under 2× steady = {reaction:0.0} (target ≤ 2)");
        return reaction;
    }
}
