using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Serval.TestSupport;

namespace Serval.Server.Tests.Support;

/// <summary>
/// A real Prometheus (Debian's <c>prometheus</c>, installed by <c>./test.sh</c>) on a free loopback
/// port, scraping one target every second into a temporary database; killed and removed on dispose.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dir;
    private readonly ConcurrentQueue<string> _output = new();

    private PrometheusServer(Process process, string dir, Uri url)
    {
        _process = process;
        _dir = dir;
        Client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>A client for its HTTP API.</summary>
    public HttpClient Client { get; }

    /// <summary>Its last log lines, for failure messages.</summary>
    public string Tail => string.Join("\n", _output.TakeLast(20));

    /// <summary>The path of a Debian tool, or a failure that says how to get it.</summary>
    public static string Tool(string name)
    {
        string path = $"/usr/bin/{name}";
        Assert.True(File.Exists(path), $"{path} is missing: ./test.sh installs it (apt-get install -y prometheus)");
        return path;
    }

    /// <summary>Starts Prometheus scraping <paramref name="target"/> (host:port) every second and waits until it is ready (at most 30 s).</summary>
    public static async Task<PrometheusServer> StartAsync(string target)
    {
        string prometheus = Tool("prometheus");
        string dir = Paths.NewTempDir("serval-prometheus");
        string config = Path.Combine(dir, "prometheus.yml");
        await File.WriteAllTextAsync(config, $$"""
            global: { scrape_interval: 1s, evaluation_interval: 1s }
            scrape_configs:
              - job_name: serval
                static_configs: [{ targets: ['{{target}}'] }]
            """);
        int port = Ports.FreeLoopback();
        var info = new ProcessStartInfo(prometheus) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(dir, "data")}", $"--web.listen-address=127.0.0.1:{port}" })
        {
            info.ArgumentList.Add(argument);
        }

        var server = new PrometheusServer(Process.Start(info)!, dir, new Uri($"http://127.0.0.1:{port}"));
        server._process.OutputDataReceived += (_, e) => server.Note(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Note(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        await Eventually.TrueAsync(async () =>
        {
            Assert.False(server._process.HasExited, $"prometheus exited:\n{server.Tail}");
            try
            {
                using HttpResponseMessage ready = await server.Client.GetAsync("/-/ready");
                return ready.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "prometheus to be ready", TimeSpan.FromSeconds(30));
        return server;
    }

    /// <summary>The value of an instant PromQL query that yields one sample, or null when it yields none.</summary>
    public async Task<double?> QueryAsync(string promql)
    {
        JsonNode answer = JsonNode.Parse(await Client.GetStringAsync($"/api/v1/query?query={Uri.EscapeDataString(promql)}"))!;
        Assert.Equal("success", (string)answer["status"]!);
        JsonArray result = answer["data"]!["result"]!.AsArray();
        return result.Count == 0 ? null : double.Parse((string)result[0]!["value"]![1]!, CultureInfo.InvariantCulture);
    }

    /// <summary>Kills it and removes its database.</summary>
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Note(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
