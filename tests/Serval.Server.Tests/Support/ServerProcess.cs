using System.Collections.Concurrent;
using System.Diagnostics;

namespace Serval.Server.Tests.Support;

/// <summary>
/// The platform as its own OS process (<c>dotnet serval-server.dll</c>, the build beside the tests),
/// so a test can kill it with SIGKILL mid-work and start it again on the same data folder.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ServerProcess(Process process, Uri url)
    {
        _process = process;
        Url = url;
        Client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Its address.</summary>
    public Uri Url { get; }

    /// <summary>A client for it.</summary>
    public HttpClient Client { get; }

    /// <summary>Its process id.</summary>
    public int Pid => _process.Id;

    /// <summary>The last lines it wrote (for failure messages).</summary>
    public string Tail => string.Join("\n", _output.TakeLast(30));

    /// <summary>Starts the platform on <paramref name="dataDirectory"/> and waits (at most 60 s) until it answers.</summary>
    public static async Task<ServerProcess> StartAsync(string dataDirectory, params string[] arguments)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "serval-server.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        int port = Ports.FreeLoopback();
        foreach (string argument in new[] { dll, "--port", port.ToString(), "--data", dataDirectory }.Concat(arguments))
        {
            info.ArgumentList.Add(argument);
        }

        var server = new ServerProcess(Process.Start(info)!, new Uri($"http://127.0.0.1:{port}"));
        server._process.OutputDataReceived += (_, e) => server.Note(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Note(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(server._process.HasExited, $"the platform exited with {(server._process.HasExited ? server._process.ExitCode : 0)}:\n{server.Tail}");
            try
            {
                using HttpResponseMessage ready = await server.Client.GetAsync("/v2/health/ready");
                if (ready.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the platform did not answer within 60 s:\n{server.Tail}");
            await Task.Delay(50);
        }
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill(); // SIGKILL on Linux
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    private void Note(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 200 && _output.TryDequeue(out _))
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
    }
}
