using System.Text.Json.Nodes;

namespace Serval.Bench;

/// <summary>
/// A repeatable spiky load, about 2 minutes: 2 clients throughout, with spikes to 12 clients at
/// 15–25 s, 50–56 s and 80–95 s, run three ways on rec [1,3,48,320] with concurrency 4 per
/// instance: on-demand only (min 0), provisioned for the peak (min = max = 4), and a provisioned
/// floor with on-demand overflow (min 1). Reports errors, latency, cold starts, instance-seconds and
/// utilisation = busy time (time an instance has at least one invocation) ÷ instance time.
/// </summary>
public static class SpikyTrace
{
    /// <summary>Clients at second <paramref name="t"/> of the trace.</summary>
    public static int Clients(double t) => t switch
    {
        >= 15 and < 25 => 12,   // a 10 s spike
        >= 50 and < 56 => 12,   // a short one
        >= 80 and < 95 => 12,   // a long one
        _ => 2,
    };

    /// <summary>Runs the three modes (a fresh function each) and prints a table row each.</summary>
    public static async Task RunAsync(Platform platform, double seconds)
    {
        Console.WriteLine($"spiky trace, {seconds:0} s each: 2 clients, 12 at 15–25 s, 50–56 s, 80–95 s; rec, concurrency 4");
        Console.WriteLine("mode                     errors  p50 ms  p99 ms  max ms  cold  inst-s  util");
        await RunModeAsync(platform, "on-demand only", "spiky-ondemand", min: 0, seconds);
        await RunModeAsync(platform, "provisioned for peak", "spiky-peak", min: 4, seconds);
        await RunModeAsync(platform, "floor 1 + on-demand", "spiky-mixed", min: 1, seconds);
    }

    private static async Task RunModeAsync(Platform platform, string label, string name, int min, double seconds)
    {
        await platform.DeployAsync(name, Repo.Rec, $"instances: {{ min: {min}, max: 4, concurrency: 4, idle: 2s }}");
        // Let provisioned instances come up before the trace starts, as they would be in production.
        for (int i = 0; i < 100 && min > 0; i++)
        {
            var ready = JsonNode.Parse(await platform.Client.GetStringAsync($"/v1/functions/{name}/instances"))!.AsArray();
            if (ready.Count(x => (string?)x!["state"] == "Ready") >= min)
            {
                break;
            }

            await Task.Delay(200);
        }

        var recorder = new LoadRecorder(platform, new Payload([1, 3, 48, 320]), $"/fn/{name}");
        double instanceSeconds = 0;
        using var polling = new CancellationTokenSource();
        double start = recorder.Now;
        Task poll = Task.Run(async () =>
        {
            double last = recorder.Now;
            while (!polling.IsCancellationRequested)
            {
                await Task.Delay(200);
                var list = JsonNode.Parse(await platform.Client.GetStringAsync($"/v1/functions/{name}/instances"))!.AsArray();
                double now = recorder.Now;
                instanceSeconds += list.Count * (now - last); // every live instance, starting or ready, costs its time
                last = now;
            }
        });
        await recorder.RunAsync(t => Clients(t - start), seconds);
        polling.Cancel();
        await poll;

        var samples = recorder.Samples;
        var latencies = samples.Select(s => s.LatencyMs).ToList();
        double busy = LoadRecorder.BusySeconds(samples);
        Console.WriteLine($"{label,-24} {samples.Count(s => s.Status != 200),6}  {Stats.Percentile(latencies, 50),6:0.0}  {Stats.Percentile(latencies, 99),6:0.0}  {latencies.Max(),6:0.0}  {samples.Count(s => s.Cold),4}  {instanceSeconds,6:0.0}  {busy / instanceSeconds,4:P0}   ({samples.Count} requests)");
        using var _ = await platform.Client.DeleteAsync($"/v1/functions/{name}");
    }
}
