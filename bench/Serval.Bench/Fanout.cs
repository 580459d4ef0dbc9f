using System.Globalization;
using System.Text.Json.Nodes;

namespace Serval.Bench;

/// <summary>
/// The fan-out job of examples/fanout (a 1000×8000 page in nine strips, text detected in each) run
/// as an asynchronous job with the map at concurrency 8 against the same plan at concurrency 1: the
/// baseline is one strip at a time on the same warm instances. Prints the ratio.
/// </summary>
public static class Fanout
{
    private const string Example = "examples/fanout";

    /// <summary>Deploys the example, warms it, then alternates the two plans <paramref name="rounds"/> times.</summary>
    public static async Task RunAsync(Platform platform, int rounds)
    {
        string work = Path.Combine(Path.GetTempPath(), "serval-bench-fanout-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        try
        {
            await Tool.RunAsync("bash", Path.Combine(Repo.Root, Example, "make-input.sh"), work);
            string published = Path.Combine(work, "publish");
            await Tool.RunAsync("dotnet", "publish", Path.Combine(Repo.Root, Example, "FanoutFunctions.csproj"), "-c", "Release", "-o", published, "--nologo", "-v", "quiet");
            foreach (string function in new[] { "split", "detect", "merge", "summary" })
            {
                string spec = await File.ReadAllTextAsync(Path.Combine(Repo.Root, Example, $"{function}.yaml"));
                await platform.DeploySpecAsync(spec, PackageFiles(spec, published));
            }

            string plan = await File.ReadAllTextAsync(Path.Combine(Repo.Root, Example, "serval.yaml"));
            await platform.DeploySpecAsync(plan, []);
            await platform.DeploySpecAsync(plan.Replace("name: fanout", "name: fanout-serial", StringComparison.Ordinal)
                .Replace("map: true, concurrency: 8", "map: true, concurrency: 1", StringComparison.Ordinal), []);

            byte[] page = await File.ReadAllBytesAsync(Path.Combine(work, "page.png"));
            int lines = (int)JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(work, "page.json")))!["lines"]!;
            var (_, _, summary) = await RunJobAsync(platform, "fanout", page); // starts the instances
            var serial = new List<double>();
            var parallel = new List<double>();
            string serialSteps = "", parallelSteps = "";
            for (int i = 0; i < rounds; i++)
            {
                (double ms, serialSteps, _) = await RunJobAsync(platform, "fanout-serial", page);
                serial.Add(ms);
                (ms, parallelSteps, summary) = await RunJobAsync(platform, "fanout", page);
                parallel.Add(ms);
            }

            double one = Stats.Percentile(serial, 50), many = Stats.Percentile(parallel, 50);
            Console.WriteLine($"fanout: a 1000×8000 page ({lines} lines drawn, {(int)summary["lines"]!} found) in {(int)summary["chunks"]!} strips, median of {rounds} jobs each");
            Console.WriteLine($"fanout: one strip at a time {one:0} ms ({serialSteps}); fanned out, 8 at once {many:0} ms ({parallelSteps})");
            Console.WriteLine($"fanout: speed-up of the fan-out over one strip at a time = {one / many:0.00}× on {Environment.ProcessorCount} cores (fanout-detect: at most 3 instances, one thread each)");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>One job: its run's milliseconds (start to end of the attempt), step timings and summary.</summary>
    private static async Task<(double Ms, string Steps, JsonNode Summary)> RunJobAsync(Platform platform, string plan, byte[] page)
    {
        string id = await AsyncCalls.SubmitAsync(platform.Client, plan, page, "image/png");
        JsonNode job = await AsyncCalls.WaitAsync(platform.Client, id, TimeSpan.FromMilliseconds(20), TimeSpan.FromMinutes(5));
        if ((string)job["status"]! != "Succeeded")
        {
            throw new InvalidOperationException($"job {id} of {plan} ended {(string)job["status"]!}: {job["reason"]}");
        }

        JsonNode attempt = job["attempts"]!.AsArray()[^1]!;
        double ms = (DateTimeOffset.Parse((string)attempt["endedAt"]!, CultureInfo.InvariantCulture)
            - DateTimeOffset.Parse((string)attempt["startedAt"]!, CultureInfo.InvariantCulture)).TotalMilliseconds;
        using HttpResponseMessage result = await platform.Client.GetAsync($"/v1/invocations/{id}/result");
        return (ms, result.Headers.GetValues("X-Serval-Steps").Single(), job["result"]!);
    }

    /// <summary>Every file of the published package, and the det model when the template names it.</summary>
    private static IEnumerable<(string Path, string Local)> PackageFiles(string spec, string published)
    {
        foreach (string file in Directory.GetFiles(published, "*", SearchOption.AllDirectories))
        {
            yield return (Path.GetRelativePath(published, file), file);
        }

        if (spec.Contains("ch_PP-OCRv4_det_infer.onnx", StringComparison.Ordinal))
        {
            yield return ("ch_PP-OCRv4_det_infer.onnx", Repo.Det);
        }
    }
}
