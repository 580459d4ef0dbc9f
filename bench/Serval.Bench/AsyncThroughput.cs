using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Serval.Bench;

/// <summary>
/// Asynchronous invocations of a no-op dotnet function on the embedded store: how many are accepted
/// per second (each durably committed before its 202), how many complete per second, and, on an idle
/// platform, the delay from acceptance to the start of the run. Targets: 2,000 accepted/s and
/// 1,000 completed/s on 2 cores.
/// </summary>
public static class AsyncThroughput
{
    /// <summary>The accepted/s target.</summary>
    public const double AcceptTarget = 2000;

    /// <summary>The completed/s target.</summary>
    public const double CompleteTarget = 1000;

    /// <summary>Runs all three measurements and prints each against its target.</summary>
    public static async Task RunAsync(Platform platform, int invocations, int clients, int idleSamples)
    {
        await DeployNoOpAsync(platform, "async-noop", "instances: { min: 1, max: 2, concurrency: 32 }\n");
        for (int i = 0; i < 20; i++)
        {
            await WaitAsync(platform, await SubmitAsync(platform.Client, "async-noop"));
        }

        // Accepted/s: closed-loop clients submit until the count is reached; completed/s: from the
        // first submission until the last invocation ended (runs overlap the submissions).
        double before = await CompletedAsync(platform);
        int next = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) <= invocations)
            {
                await SubmitAsync(platform.Client, "async-noop");
            }
        }));
        double acceptSeconds = clock.Elapsed.TotalSeconds;
        for (int i = 0; i < 6000 && await CompletedAsync(platform) - before < invocations; i++)
        {
            await Task.Delay(10);
        }

        double completeSeconds = clock.Elapsed.TotalSeconds;
        double done = await CompletedAsync(platform) - before;
        if (done < invocations)
        {
            throw new InvalidOperationException($"only {done} of {invocations} invocations completed within a minute");
        }

        double accepted = invocations / acceptSeconds, completed = invocations / completeSeconds;
        Console.WriteLine($"async {invocations} no-op invocations, {clients} clients: accepted {accepted:0} /s ({acceptSeconds:0.00} s), all completed {completed:0} /s ({completeSeconds:0.00} s)");
        Console.WriteLine($"async: accepted/s ratio to target {AcceptTarget:0} = {accepted / AcceptTarget:0.00}; completed/s ratio to target {CompleteTarget:0} = {completed / CompleteTarget:0.00}");

        // Accept → start on an idle platform, one invocation at a time.
        var delays = new List<double>();
        for (int i = 0; i < idleSamples; i++)
        {
            string id = await SubmitAsync(platform.Client, "async-noop");
            JsonNode ended = await WaitAsync(platform, id);
            DateTimeOffset created = DateTimeOffset.Parse((string)ended["createdAt"]!, CultureInfo.InvariantCulture);
            DateTimeOffset started = DateTimeOffset.Parse((string)ended["attempts"]![0]!["startedAt"]!, CultureInfo.InvariantCulture);
            delays.Add((started - created).TotalMilliseconds);
            await Task.Delay(20);
        }

        Console.WriteLine($"async accept → start, idle: {Stats.Describe(delays)} (timestamps in whole ms)");
    }

    /// <summary>Deploys the test handlers' NoOp (built Release by bench/run.sh) as a dotnet function.</summary>
    public static async Task DeployNoOpAsync(Platform platform, string name, string extra)
    {
        string dir = Path.Combine(Repo.Root, "tests/Serval.Instance.TestHandlers/bin/Release/net10.0");
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent($"name: {name}\nruntime: dotnet\nhandler: Serval.Instance.TestHandlers.NoOp\n{extra}", Encoding.UTF8), "spec");
        foreach (string file in new[] { "Serval.Instance.TestHandlers.dll", "Serval.Instance.TestHandlers.deps.json" })
        {
            var part = new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(dir, file)));
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, "file", file);
        }

        using var response = await platform.Client.PostAsync("/v1/functions", form);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"deploy of {name} failed: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task<string> SubmitAsync(HttpClient client, string function)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/fn/{function}") { Content = new ByteArrayContent("{}"u8.ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Serval-Invocation-Type", "async");
        using var response = await client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"async submit answered {(int)response.StatusCode}: {body}");
        }

        return (string)JsonNode.Parse(body)!["id"]!;
    }

    private static async Task<JsonNode> WaitAsync(Platform platform, string id)
    {
        for (int i = 0; i < 3000; i++)
        {
            JsonNode invocation = JsonNode.Parse(await platform.Client.GetStringAsync($"/v1/invocations/{id}"))!;
            if ((string)invocation["status"]! is "Succeeded" or "Failed" or "Expired" or "Cancelled")
            {
                return invocation;
            }

            await Task.Delay(2);
        }

        throw new TimeoutException($"invocation {id} did not end");
    }

    /// <summary>Async invocations ended so far, from the platform's <c>serval_async_invocations_total</c>.</summary>
    private static async Task<double> CompletedAsync(Platform platform)
    {
        string metrics = await platform.Client.GetStringAsync("/metrics");
        double total = 0;
        foreach (string line in metrics.Split('\n'))
        {
            if (line.StartsWith("serval_async_invocations_total{", StringComparison.Ordinal))
            {
                total += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return total;
    }
}
