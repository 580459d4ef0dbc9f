using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Serval.Core.Wire;

namespace Serval.Instance.Tests.Support;

/// <summary>A real <c>serval-instance</c> process started from the build output, with its ready line and stderr.</summary>
internal sealed class InstanceProcess : IAsyncDisposable
{
    public const int SigTerm = 15;

    private readonly StringBuilder _stderr = new();

    private InstanceProcess(Process process, InstanceConfig config)
    {
        Process = process;
        Config = config;
    }

    /// <summary>The instance host next to the test assembly (the test project references it).</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "serval-instance.dll");

    public Process Process { get; }

    public InstanceConfig Config { get; }

    /// <summary>The first stdout line: <c>SERVAL-READY ...</c> or <c>SERVAL-FAILED ...</c>.</summary>
    public string FirstLine { get; private set; } = "";

    public bool IsReady => FirstLine.StartsWith(ReadyReport.ReadyPrefix, StringComparison.Ordinal);

    public ReadyReport Report => IsReady ? ReadyReport.Parse(FirstLine[ReadyReport.ReadyPrefix.Length..]) : throw new InvalidOperationException($"not ready: {FirstLine}\n{Stderr}");

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Writes the config beside the socket and starts the process; returns after its first stdout line.</summary>
    public static Task<InstanceProcess> StartAsync(InstanceConfig config, params string[] arguments) => StartAsync(config, new Dictionary<string, string>(), arguments);

    /// <summary>As <see cref="StartAsync(InstanceConfig, string[])"/>, with extra environment variables.</summary>
    public static async Task<InstanceProcess> StartAsync(InstanceConfig config, Dictionary<string, string> environment, params string[] arguments)
    {
        string configPath = Path.Combine(Path.GetDirectoryName(config.SocketPath)!, $"instance-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(configPath, config.ToJson());
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Dll);
        info.ArgumentList.Add("--config");
        info.ArgumentList.Add(configPath);
        // An orphaned instance dies with the test run, as it would with the platform.
        info.ArgumentList.Add("--exit-on-stdin-eof");
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var instance = new InstanceProcess(new Process { StartInfo = info }, config);
        instance.Process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (instance._stderr)
                {
                    instance._stderr.AppendLine(e.Data);
                }
            }
        };
        instance.Process.Start();
        instance.Process.BeginErrorReadLine();
        instance.FirstLine = await instance.Process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) ?? "";
        return instance;
    }

    /// <summary>Starts an instance and asserts it became ready.</summary>
    public static async Task<InstanceProcess> StartReadyAsync(InstanceConfig config, params string[] arguments)
    {
        InstanceProcess instance = await StartAsync(config, arguments);
        if (!instance.IsReady)
        {
            await instance.DisposeAsync();
            Assert.Fail($"the instance did not become ready: {instance.FirstLine}\n{instance.Stderr}");
        }

        return instance;
    }

    /// <summary>Waits until stderr holds <paramref name="text"/> (a log line the test waits for).</summary>
    public async Task WaitForStderrAsync(string text)
    {
        for (int i = 0; i < 200 && !Stderr.Contains(text, StringComparison.Ordinal); i++)
        {
            await Task.Delay(25);
        }

        Assert.Contains(text, Stderr);
    }

    public Task<InstanceClient> ConnectAsync() => InstanceClient.ConnectAsync(Config.SocketPath);

    public void Signal(int signal) => Assert.Equal(0, Kill(Process.Id, signal));

    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        await Process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(20));
        return Process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync();
        }

        Process.Dispose();
        try
        {
            // The folder Packages made for this instance (socket, config, and an onnx package).
            Directory.Delete(Path.GetDirectoryName(Config.SocketPath)!, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    // DllImport rather than LibraryImport: the generated stub would need unsafe code in this project.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
