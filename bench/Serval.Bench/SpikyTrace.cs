using System.Text.Json.Nodes;

namespace Serval.Bench;

/// <summary>
/// A repeatable spiky load, about 2 minutes: 2 clients throughout, with spikes to 8 clients for 6 s
/// every 20 s (and one long spike of 15 s), run three ways on cls with concurrency 1 per instance:
/// on-demand only (min 0), provisioned for the peak (min = max = 4), and a provisioned floor with
/// on-demand overflow (min 1). Reports errors, latency, cold starts, instance-seconds and
/// utilisation = busy time (the instances' own invocation time) ÷ instance time.
/// </summary>
public static class SpikyTrace
{
    /// <summary>Clients at second <paramref name="t"/> of the trace.</summary>
    public static int Clients(double t)
    {
        if (t >= 80 && t < 95)
        {
            return 8;
        }

        return t % 20 is >= 10 and < 16 ? 8 : 2;
    }

    /// <summary>Runs the three modes (a fresh function each) and prints a table row each.</summary>
    public static async Task RunAsync(Platform platform, double seconds)
    {
        Console.WriteLine($"spiky trace, {seconds:0} s each: 2 clients, 8 during spikes (6 s every 20 s, one of 15 s); cls, concurrency 1");
        Console.WriteLine("mode                     errors  p50 ms  p99 ms  max ms  cold  inst-s  util");
        await RunModeAsync(platform, "on-demand only", "spiky-ondemand", "instances: { min: 0, max: 4, concurrency: 1, idle: 5s }", seconds);
        await RunModeAsync(platform, "provisioned for peak", "spiky-peak", "instances: { min: 4, max: 4, concurrency: 1, idle: 5s }", seconds);
        await RunModeAsync(platform, "floor 1 + on-demand", "spiky-mixed", "instances: { min: 1, max: 4, concurrency: 1, idle: 5s }", seconds);
    }

    private static async Task RunModeAsync(Platform platform, string label, string name, string instancesYaml, double seconds)
    {
        await platform.DeployAsync(name, Repo.Cls, instancesYaml);
        // Let provisioned instances come up before the trace starts, as they would be in production.
        for (int i = 0; i < 100 && !instancesYaml.Contains("min: 0"); i++)
        {
            var ready = JsonNode.Parse(await platform.Client.GetStringAsync($"/v1/functions/{name}/instances"))!.AsArray();
            if (ready.Count(x => (string?)x!["state"] == "Ready") >= int.Parse(instancesYaml.Split("min: ")[1].Split(',')[0]))
            {
                break;
            }

            await Task.Delay(200);
        }

        var recorder = new LoadRecorder(platform, new Payload([1, 3, 48, 192]), $"/fn/{name}");
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
        double busy = samples.Sum(s => s.InstanceMs) / 1000;
        Console.WriteLine($"{label,-24} {samples.Count(s => s.Status != 200),6}  {Stats.Percentile(latencies, 50),6:0.0}  {Stats.Percentile(latencies, 99),6:0.0}  {latencies.Max(),6:0.0}  {samples.Count(s => s.Cold),4}  {instanceSeconds,6:0.0}  {busy / instanceSeconds,4:P0}   ({samples.Count} requests)");
        using var _ = await platform.Client.DeleteAsync($"/v1/functions/{name}");
    }
}
