using System.Diagnostics;
using Serval.Core.Tensors;
using Serval.Onnx;

namespace Serval.Bench;

/// <summary>
/// Serving overhead: the same input, run sequentially, through Serval's HTTP API (raw body to
/// <c>/fn/{name}</c>, one instance, 1 intra-op thread) and in-process through Serval.Onnx with the same
/// thread count. Rounds alternate between the two so drift on a shared machine hits both alike.
/// </summary>
public static class Overhead
{
    /// <summary>Measures one model and prints the p50 ratio.</summary>
    public static async Task<double> RunAsync(Platform platform, string name, string model, long[] shape, int rounds, int perRound)
    {
        await platform.DeployAsync(name, model, "instances: { concurrency: 1 }");
        var payload = new Payload(shape);
        using var session = new InferenceSession(model, new SessionOptions { IntraOpThreads = 1 });
        var input = new NamedTensor[] { new("x", Tensor.From<float>(payload.Values, shape)) };
        for (int i = 0; i < 10; i++)
        {
            using var warm = await platform.Client.SendAsync(payload.Request($"/fn/{name}"));
            warm.EnsureSuccessStatusCode();
            session.RunRaw(input).Dispose();
        }

        var http = new List<double>();
        var dispatch = new List<double>();
        var local = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < perRound; i++)
            {
                long t = Stopwatch.GetTimestamp();
                using (session.RunRaw(input))
                {
                }

                local.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            }

            for (int i = 0; i < perRound; i++)
            {
                using HttpRequestMessage request = payload.Request($"/fn/{name}");
                long t = Stopwatch.GetTimestamp();
                using HttpResponseMessage response = await platform.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                await Payload.DrainAsync(response);
                http.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                response.EnsureSuccessStatusCode();
                dispatch.Add(double.Parse(response.Headers.GetValues("X-Serval-Duration-Ms").Single(), System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        double ratio = Stats.Percentile(http, 50) / Stats.Percentile(local, 50);
        Console.WriteLine($"overhead {name} [{string.Join(",", shape)}]: in-process {Stats.Describe(local)}");
        Console.WriteLine($"overhead {name} [{string.Join(",", shape)}]: HTTP       {Stats.Describe(http)}");
        Console.WriteLine($"overhead {name} [{string.Join(",", shape)}]: of which instance round trip (X-Serval-Duration-Ms) {Stats.Describe(dispatch)}");
        Console.WriteLine($"overhead {name}: p50 ratio HTTP/in-process = {ratio:0.000}");
        return ratio;
    }
}
