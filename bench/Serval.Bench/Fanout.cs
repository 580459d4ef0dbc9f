using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
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
            await RunToolAsync("bash", Path.Combine(Repo.Root, Example, "make-input.sh"), work);
            string published = Path.Combine(work, "publish");
            await RunToolAsync("dotnet", "publish", Path.Combine(Repo.Root, Example, "FanoutFunctions.csproj"), "-c", "Release", "-o", published, "--nologo", "-v", "quiet");
            foreach (string function in new[] { "split", "detect", "merge", "summary" })
            {
                await DeployAsync(platform, await File.ReadAllTextAsync(Path.Combine(Repo.Root, Example, $"{function}.yaml")), published);
            }

            string plan = await File.ReadAllTextAsync(Path.Combine(Repo.Root, Example, "serval.yaml"));
            await DeployAsync(platform, plan, null);
            await DeployAsync(platform, plan.Replace("name: fanout", "name: fanout-serial", StringComparison.Ordinal)
                .Replace("map: true, concurrency: 8", "map: true, concurrency: 1", StringComparison.Ordinal), null);

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
        var request = new HttpRequestMessage(HttpMethod.Post, $"/fn/{plan}") { Content = new ByteArrayContent(page) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        request.Headers.Add("X-Serval-Invocation-Type", "async");
        using HttpResponseMessage accepted = await platform.Client.SendAsync(request);
        string text = await accepted.Content.ReadAsStringAsync();
        if (accepted.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"submitting a job to {plan}: {(int)accepted.StatusCode} {text}");
        }

        string id = (string)JsonNode.Parse(text)!["id"]!;
        JsonNode job = await WaitAsync(platform, id);
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

    /// <summary>Polls the job every 20 ms until it ends (at most 5 minutes).</summary>
    private static async Task<JsonNode> WaitAsync(Platform platform, string id)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(5))
        {
            JsonNode job = JsonNode.Parse(await platform.Client.GetStringAsync($"/v1/invocations/{id}"))!;
            if ((string)job["status"]! is "Succeeded" or "Failed" or "Expired" or "Cancelled")
            {
                return job;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"job {id} did not end within 5 minutes");
    }

    /// <summary>Deploys a template with the published package (and the det model its <c>models</c> names), or a plan with no files.</summary>
    private static async Task DeployAsync(Platform platform, string spec, string? published)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(spec, Encoding.UTF8), "spec");
        var files = published is null ? [] : Directory.GetFiles(published, "*", SearchOption.AllDirectories)
            .Select(f => (Path: Path.GetRelativePath(published, f), Local: f)).ToList();
        if (published is not null && spec.Contains("ch_PP-OCRv4_det_infer.onnx", StringComparison.Ordinal))
        {
            files.Add(("ch_PP-OCRv4_det_infer.onnx", Repo.Det));
        }

        foreach (var (path, local) in files)
        {
            var part = new ByteArrayContent(await File.ReadAllBytesAsync(local));
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, "file", path);
        }

        using HttpResponseMessage response = await platform.Client.PostAsync("/v1/functions", form);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"deploy failed: {await response.Content.ReadAsStringAsync()}\n{spec}");
        }
    }

    private static async Task RunToolAsync(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(info)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed:\n{await stdout}{await stderr}");
        }
    }
}
