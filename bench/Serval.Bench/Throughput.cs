using System.Diagnostics;

namespace Serval.Bench;

/// <summary>
/// Throughput at a fixed number of closed-loop clients: Serval's <c>/fn/{name}</c> (one instance,
/// concurrency 4, 1 intra-op thread per run) against the hand-written Node.js peer
/// (<c>bench/peers/node-ort/server.js</c>: onnxruntime-node, 1 intra-op thread, runs on libuv's 4
/// worker threads). Same model, same input, same machine, measured back to back, twice each.
/// </summary>
public static class Throughput
{
    /// <summary>Runs both and prints the ratio Serval/peer.</summary>
    public static async Task<double> RunAsync(Platform platform, string model, long[] shape, int clients, TimeSpan duration)
    {
        await platform.DeployAsync("tput", model, "instances: { concurrency: 4 }");
        var payload = new Payload(shape);
        int port = Platform.FreePort();
        var peerInfo = new ProcessStartInfo("node") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { Path.Combine(Repo.Root, "bench/peers/node-ort/server.js"), model, port.ToString(), "1" })
        {
            peerInfo.ArgumentList.Add(a);
        }

        using Process peer = Process.Start(peerInfo)!;
        try
        {
            await peer.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            using var peerClient = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            Func<HttpRequestMessage> serval = () => payload.Request("/fn/tput");
            Func<HttpRequestMessage> node = () => payload.Request("/", "X-Shape");
            await LoadAsync(platform.Client, serval, clients, TimeSpan.FromSeconds(2));
            await LoadAsync(peerClient, node, clients, TimeSpan.FromSeconds(2));
            double s1 = await LoadAsync(platform.Client, serval, clients, duration);
            double p1 = await LoadAsync(peerClient, node, clients, duration);
            double p2 = await LoadAsync(peerClient, node, clients, duration);
            double s2 = await LoadAsync(platform.Client, serval, clients, duration);
            double servalRate = (s1 + s2) / 2, peerRate = (p1 + p2) / 2;
            Console.WriteLine($"throughput {clients} clients [{string.Join(",", shape)}]: Serval {servalRate:0.0} req/s ({s1:0.0}, {s2:0.0}); Node.js peer {peerRate:0.0} req/s ({p1:0.0}, {p2:0.0})");
            Console.WriteLine($"throughput: ratio Serval/peer = {servalRate / peerRate:0.000}");
            return servalRate / peerRate;
        }
        finally
        {
            peer.Kill();
        }
    }

    private static async Task<double> LoadAsync(HttpClient client, Func<HttpRequestMessage> make, int clients, TimeSpan duration)
    {
        long done = 0;
        long failed = 0;
        var stop = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, clients).Select(async _ =>
        {
            while (stop.Elapsed < duration)
            {
                using HttpRequestMessage request = make();
                using HttpResponseMessage response = await client.SendAsync(request);
                await response.Content.ReadAsByteArrayAsync();
                Interlocked.Increment(ref response.IsSuccessStatusCode ? ref done : ref failed);
            }
        }).ToArray();
        await Task.WhenAll(workers);
        if (failed > 0)
        {
            throw new InvalidOperationException($"{failed} requests failed under load");
        }

        return done / stop.Elapsed.TotalSeconds;
    }
}
