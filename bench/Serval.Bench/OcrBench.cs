using System.Diagnostics;
using System.Text.Json;
using Serval.Imaging;
using Serval.Ocr;
using Serval.Ocr.Cropping;
using Serval.Ocr.Evaluation;
using Serval.Ocr.Recognition;

namespace Serval.Bench;

/// <summary>
/// The OCR service of examples/ocr: end to end per picture through the plan vs the same models one
/// after another in-process; and recognition throughput at 16 clients with batching vs without.
/// </summary>
public static class OcrBench
{
    private static string EvalSet => Path.Combine(Repo.Root, "tests/ocr-eval");

    /// <summary>Per-picture latency of <c>/fn/ocr/predict</c> (one request at a time) over the in-process sequential pipeline.</summary>
    public static async Task EndToEndAsync(Platform platform, int rounds)
    {
        Console.WriteLine("== OCR end to end: the plan over HTTP vs det → cls → rec line by line in-process (1 intra-op thread each)");
        foreach (string template in (string[])["detect.yaml", "recognize.yaml", "order.yaml", ""])
        {
            await Cli.DeployAsync(platform, Path.Combine(Repo.Root, "examples/ocr", template));
        }

        var truth = OcrTruth.ParseSet(await File.ReadAllTextAsync(Path.Combine(EvalSet, "truth.json")));
        var pictures = truth.Select(t => File.ReadAllBytes(Path.Combine(EvalSet, t.Image))).ToList();
        var bodies = pictures.Select(p => JsonSerializer.SerializeToUtf8Bytes(new { jsonData = Convert.ToBase64String(p) })).ToList();

        using OcrEngine engine = OcrEngine.Open(Repo.Model(""), new OcrOptions { RecBatchSize = 1 }, new Onnx.SessionOptions { IntraOpThreads = 1 });
        // The same loop with every core in each run (ONNX Runtime's default): what a hand-written
        // service on this machine would do.
        using OcrEngine wide = OcrEngine.Open(Repo.Model(""), new OcrOptions { RecBatchSize = 1 }, new Onnx.SessionOptions { IntraOpThreads = Environment.ProcessorCount });
        var http = new List<double>();
        var local = new List<double>();
        var localWide = new List<double>();
        for (int round = -1; round < rounds; round++)
        {
            // Round -1 warms both up (instances started, sessions' first runs) and is not counted.
            for (int i = 0; i < pictures.Count; i++)
            {
                long start = Stopwatch.GetTimestamp();
                using (var content = new ByteArrayContent(bodies[i]))
                {
                    content.Headers.ContentType = new("application/json");
                    using HttpResponseMessage response = await platform.Client.PostAsync("/fn/ocr/predict", content);
                    response.EnsureSuccessStatusCode();
                    await response.Content.ReadAsByteArrayAsync();
                }

                double viaPlan = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                start = Stopwatch.GetTimestamp();
                engine.Read(ImageDecoder.Decode(pictures[i]));
                double inProcess = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                start = Stopwatch.GetTimestamp();
                wide.Read(ImageDecoder.Decode(pictures[i]));
                double inProcessWide = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (round >= 0)
                {
                    http.Add(viaPlan);
                    local.Add(inProcess);
                    localWide.Add(inProcessWide);
                }
            }
        }

        Console.WriteLine($"  plan over HTTP:      mean {http.Average():0.0} ms, {Stats.Describe(http)}");
        Console.WriteLine($"  in-process sequence: mean {local.Average():0.0} ms, {Stats.Describe(local)}");
        Console.WriteLine($"  in-process, {Environment.ProcessorCount} threads: mean {localWide.Average():0.0} ms, {Stats.Describe(localWide)}");
        Console.WriteLine($"  ratio (plan / in-process): mean {http.Average() / local.Average():0.00}, p50 {Stats.Percentile(http, 50) / Stats.Percentile(local, 50):0.00}  (target ≤ 1.0)");
        Console.WriteLine($"  ratio (plan / in-process, {Environment.ProcessorCount} threads): mean {http.Average() / localWide.Average():0.00}, p50 {Stats.Percentile(http, 50) / Stats.Percentile(localWide, 50):0.00}");
    }

    /// <summary>Crops of the evaluation set posted by 16 clients to the recogniser with and without batching.</summary>
    public static async Task BatchingAsync(Platform platform, TimeSpan duration)
    {
        Console.WriteLine("== Recognition at 16 clients: ocr-recognize with batching (max 8, delay 2ms) vs the same without, 2 instances each");
        string spec = await File.ReadAllTextAsync(Path.Combine(Repo.Root, "examples/ocr/recognize.yaml"));
        string common = string.Join('\n', spec.Split('\n').Where(l => !l.StartsWith('#') && !l.StartsWith("name:", StringComparison.Ordinal) && !l.StartsWith("instances:", StringComparison.Ordinal)));
        await DeployVariantAsync(platform, "rec-batched", common + "\ninstances: { min: 2, max: 2, concurrency: 8 }\nbatching: { max: 8, delay: 2ms }\n");
        await DeployVariantAsync(platform, "rec-alone", common + "\ninstances: { min: 2, max: 2, concurrency: 8 }\n");

        var images = new List<RgbImage>();
        using (OcrEngine engine = OcrEngine.Open(Repo.Model("")))
        {
            foreach (string file in Directory.GetFiles(EvalSet).Where(f => f.EndsWith(".png", StringComparison.Ordinal) || f.EndsWith(".jpg", StringComparison.Ordinal)).Order())
            {
                images.AddRange(engine.Detect(ImageDecoder.Decode(File.ReadAllBytes(file))).Crops);
            }
        }

        var crops = images.Select(CropCodec.Encode).ToList();
        Console.WriteLine($"  {crops.Count} line crops from the evaluation set");
        PerItemCost(images);
        var results = new Dictionary<string, List<(double PerSecond, List<double> Latencies)>> { ["rec-batched"] = [], ["rec-alone"] = [] };
        await LoadAsync(platform, "rec-batched", crops, 16, TimeSpan.FromSeconds(2));
        await LoadAsync(platform, "rec-alone", crops, 16, TimeSpan.FromSeconds(2));
        for (int round = 0; round < 2; round++)
        {
            foreach (string function in (string[])["rec-alone", "rec-batched"])
            {
                results[function].Add(await LoadAsync(platform, function, crops, 16, duration));
            }
        }

        foreach (var (function, runs) in results)
        {
            var latencies = runs.SelectMany(r => r.Latencies).ToList();
            Console.WriteLine($"  {function,-20} {runs.Average(r => r.PerSecond),7:0.0} lines/s, {Stats.Describe(latencies)}");
        }

        double throughput = results["rec-batched"].Average(r => r.PerSecond) / results["rec-alone"].Average(r => r.PerSecond);
        double p99 = Stats.Percentile(results["rec-batched"].SelectMany(r => r.Latencies).ToList(), 99)
            / Stats.Percentile(results["rec-alone"].SelectMany(r => r.Latencies).ToList(), 99);
        Console.WriteLine($"  ratio batched / alone: throughput {throughput:0.00}× (target ≥ 1.5×), p99 {p99:0.00}× (target ≤ 2×)");
    }

    /// <summary>
    /// What a batch costs per line on this machine, in-process (the rec model, 1 intra-op thread as
    /// an instance of half a core has): the crops in batches of 1, 4 and 8 of similar width (sorted,
    /// as the batcher groups them). Batching pays only where this falls with the batch size.
    /// </summary>
    private static void PerItemCost(List<RgbImage> crops)
    {
        using var rec = new Onnx.InferenceSession(Repo.Model("ch_PP-OCRv4_rec_infer.onnx"), new Onnx.SessionOptions { IntraOpThreads = 1 });
        var sorted = crops.OrderBy(c => RecPreprocess.WidthOf(c.Width, c.Height)).ToList();
        var line = new List<string>();
        foreach (int size in (int[])[1, 4, 8, 16])
        {
            var batches = sorted.Chunk(size).Where(b => b.Length == size).Select(b => RecPreprocess.Batch(b)).ToList();
            using (rec.RunRaw([new Serval.Core.Tensors.NamedTensor(rec.Inputs[0].Name, batches[0].Tensor)]))
            {
            }

            long start = Stopwatch.GetTimestamp();
            foreach (var batch in batches)
            {
                using var outputs = rec.RunRaw([new Serval.Core.Tensors.NamedTensor(rec.Inputs[0].Name, batch.Tensor)]);
            }

            line.Add($"batch {size}: {Stopwatch.GetElapsedTime(start).TotalMilliseconds / (batches.Count * size):0.0} ms");
        }

        Console.WriteLine($"  in-process cost per line, 1 thread: {string.Join(", ", line)}");
    }

    /// <summary>Deploys the OCR functions' package under another template (written beside the project for the CLI, then removed).</summary>
    private static async Task DeployVariantAsync(Platform platform, string name, string specBody)
    {
        string path = Path.Combine(Repo.Root, "examples/ocr", $".bench-{name}.yaml");
        await File.WriteAllTextAsync(path, $"name: {name}\n{specBody}");
        try
        {
            await Cli.DeployAsync(platform, path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static async Task<(double PerSecond, List<double> Latencies)> LoadAsync(Platform platform, string function, List<byte[]> crops, int clients, TimeSpan duration)
    {
        var latencies = new List<double>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
        {
            var mine = new List<double>();
            for (int k = 0; clock.Elapsed < duration; k++)
            {
                byte[] crop = crops[(client + k * clients) % crops.Count];
                long start = Stopwatch.GetTimestamp();
                using var content = new ByteArrayContent(crop);
                using HttpResponseMessage response = await platform.Client.PostAsync($"/fn/{function}", content);
                await response.Content.ReadAsByteArrayAsync();
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"{function}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }

                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            lock (latencies)
            {
                latencies.AddRange(mine);
            }
        }));
        return (latencies.Count / clock.Elapsed.TotalSeconds, latencies);
    }
}

/// <summary>Deploys through the real CLI (Release build), as a user does.</summary>
public static class Cli
{
    /// <summary><c>serval deploy PATH</c>.</summary>
    public static async Task DeployAsync(Platform platform, string path)
    {
        string dll = Path.Combine(Repo.Root, "src/Serval.Cli/bin/Release/net10.0/serval-cli.dll");
        string output = await Tool.RunAsync("dotnet", dll, "deploy", path, "--url", platform.Url.ToString());
        Console.WriteLine("  " + output.Trim().Replace("\n", "\n  ", StringComparison.Ordinal));
    }
}
