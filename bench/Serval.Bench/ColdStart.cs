using System.Diagnostics;
using Serval.Onnx;

namespace Serval.Bench;

/// <summary>
/// Cold start: a request to a function with no instance, until its answer (process start, runtime
/// load, session create, warm-up, the run), against the in-process floor: session create + first run
/// in this already-warm process. Each round deploys a fresh function so no instance exists.
/// </summary>
public static class ColdStart
{
    /// <summary>Measures <paramref name="rounds"/> cold starts and prints the p50 ratio.</summary>
    public static async Task<double> RunAsync(Platform platform, string label, string model, long[] shape, int rounds)
    {
        var payload = new Payload(shape);
        var floor = new List<double>();
        var cold = new List<double>();
        var input = new NamedTensor[] { new("x", Tensor.From<float>(payload.Values, shape)) };
        for (int round = 0; round < rounds; round++)
        {
            long t = Stopwatch.GetTimestamp();
            using (var session = new InferenceSession(model, new SessionOptions { IntraOpThreads = 1 }))
            using (session.RunRaw(input))
            {
                floor.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }

            string name = $"cold-{label}-{round}";
            await platform.DeployAsync(name, model);
            using HttpRequestMessage request = payload.Request($"/fn/{name}");
            t = Stopwatch.GetTimestamp();
            using HttpResponseMessage response = await platform.Client.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            cold.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            if (!response.IsSuccessStatusCode || response.Headers.GetValues("X-Serval-Cold-Start").Single() != "true")
            {
                throw new InvalidOperationException($"round {round} of {label} was not a successful cold start");
            }

            using var _ = await platform.Client.DeleteAsync($"/v1/functions/{name}");
        }

        double ratio = Stats.Percentile(cold, 50) / Stats.Percentile(floor, 50);
        Console.WriteLine($"cold start {label} [{string.Join(",", shape)}]: in-process floor {Stats.Describe(floor)}");
        Console.WriteLine($"cold start {label} [{string.Join(",", shape)}]: Serval          {Stats.Describe(cold)}");
        Console.WriteLine($"cold start {label}: p50 ratio Serval/floor = {ratio:0.00}");
        return ratio;
    }
}
