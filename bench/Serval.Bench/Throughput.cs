using System.Diagnostics;

namespace Serval.Bench;

/// <summary>
/// Throughput at a fixed number of closed-loop clients: Serval's <c>/fn/{name}</c> (one instance,
/// concurrency 4, 1 intra-op thread per run) against two peers a team would write by hand, each
/// serving the same raw-tensor contract in-process with 1 intra-op thread: an ASP.NET Core minimal
/// API on the official ONNX Runtime package (<c>bench/peers/aspnet-ort</c>) and a Node.js server on
/// onnxruntime-node (<c>bench/peers/node-ort</c>). Same model, input and machine, measured in turns
/// (Serval, peers, peers, Serval) so drift on a shared machine falls on all alike.
/// </summary>
public static class Throughput
{
    private sealed record Peer(string Name, ProcessStartInfo Start);

    /// <summary>Runs all three and prints Serval's ratio to each peer.</summary>
    public static async Task RunAsync(Platform platform, string model, long[] shape, int clients, TimeSpan duration)
    {
        await platform.DeployAsync("tput", model, "instances: { concurrency: 4 }");
        var payload = new Payload(shape);
        Peer[] peers =
        [
            new("ASP.NET Core peer", Command("dotnet", Path.Combine(Repo.Root, "bench/peers/aspnet-ort/bin/Release/net10.0/AspNetOrtPeer.dll"))),
            new("Node.js peer", Command("node", Path.Combine(Repo.Root, "bench/peers/node-ort/server.js"))),
        ];

        var processes = new List<Process>();
        try
        {
            var clientsOf = new List<HttpClient>();
            foreach (Peer peer in peers)
            {
                int port = Platform.FreePort();
                peer.Start.ArgumentList.Add(model);
                peer.Start.ArgumentList.Add(port.ToString());
                peer.Start.ArgumentList.Add("1");
                Process process = Process.Start(peer.Start)!;
                processes.Add(process);
                await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
                clientsOf.Add(new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") });
            }

            Func<HttpRequestMessage> serval = () => payload.Request("/fn/tput");
            Func<HttpRequestMessage> raw = () => payload.Request("/", "X-Shape");
            await LoadAsync(platform.Client, serval, clients, TimeSpan.FromSeconds(2));
            foreach (HttpClient client in clientsOf)
            {
                await LoadAsync(client, raw, clients, TimeSpan.FromSeconds(2));
            }

            double s1 = await LoadAsync(platform.Client, serval, clients, duration);
            double[] first = new double[peers.Length], second = new double[peers.Length];
            for (int i = 0; i < peers.Length; i++)
            {
                first[i] = await LoadAsync(clientsOf[i], raw, clients, duration);
            }

            for (int i = peers.Length - 1; i >= 0; i--)
            {
                second[i] = await LoadAsync(clientsOf[i], raw, clients, duration);
            }

            double s2 = await LoadAsync(platform.Client, serval, clients, duration);
            double servalRate = (s1 + s2) / 2;
            Console.WriteLine($"throughput {clients} clients [{string.Join(",", shape)}]: Serval {servalRate:0.0} req/s ({s1:0.0}, {s2:0.0})");
            for (int i = 0; i < peers.Length; i++)
            {
                double rate = (first[i] + second[i]) / 2;
                Console.WriteLine($"throughput: {peers[i].Name} {rate:0.0} req/s ({first[i]:0.0}, {second[i]:0.0}); ratio Serval/{peers[i].Name} = {servalRate / rate:0.000}");
            }
        }
        finally
        {
            foreach (Process process in processes)
            {
                process.Kill();
                process.Dispose();
            }
        }
    }

    private static ProcessStartInfo Command(string file, string script)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        return info;
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
