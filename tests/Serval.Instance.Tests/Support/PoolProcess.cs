using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Serval.Core.Wire;
using Serval.TestSupport;

namespace Serval.Instance.Tests.Support;

/// <summary>A real <c>serval-instance --pool</c> process in its own folder, with its stdout lines in order and its stderr.</summary>
internal sealed class PoolProcess : IAsyncDisposable
{
    private readonly Channel<string> _stdout = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _stderr = new();

    private PoolProcess(Process process, string directory)
    {
        Process = process;
        Directory = directory;
    }

    public Process Process { get; }

    /// <summary>The folder holding the socket (and whatever a test puts there); deleted on dispose.</summary>
    public string Directory { get; }

    public string SocketPath => Path.Combine(Directory, "pool.sock");

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

    /// <summary>Starts a pooled process and returns once it printed its first line (asserted to be <c>SERVAL-POOLED</c>).</summary>
    public static async Task<PoolProcess> StartPooledAsync()
    {
        string directory = Paths.NewTempDir("serval-pool");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { InstanceProcess.Dll, "--pool", "--socket", Path.Combine(directory, "pool.sock"), "--exit-on-stdin-eof" })
        {
            info.ArgumentList.Add(argument);
        }

        var pool = new PoolProcess(new Process { StartInfo = info }, directory);
        pool.Process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                pool._stdout.Writer.TryWrite(e.Data);
            }
        };
        pool.Process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (pool._stderr)
                {
                    pool._stderr.AppendLine(e.Data);
                }
            }
        };
        pool.Process.Start();
        pool.Process.BeginOutputReadLine();
        pool.Process.BeginErrorReadLine();
        string first = await pool.NextLineAsync();
        if (first != ReadyReport.PooledLine)
        {
            await pool.DisposeAsync();
            Assert.Fail($"the pooled process printed '{first}'\n{pool.Stderr}");
        }

        return pool;
    }

    /// <summary>The next stdout line ("" once stdout closed).</summary>
    public async Task<string> NextLineAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            return await _stdout.Reader.ReadAsync(timeout.Token);
        }
        catch (ChannelClosedException)
        {
            return "";
        }
    }

    /// <summary>Connects to the pool's socket and sends <paramref name="frame"/> (an Assign frame, or anything else).</summary>
    public async Task<Socket> SendAsync(WireWriter frame)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath));
        using (frame)
        {
            await socket.SendAsync(frame.Complete(), SocketFlags.None);
        }

        return socket;
    }

    /// <summary>Assigns <paramref name="config"/> and returns the ready report and a client on the assignment's connection.</summary>
    public async Task<(ReadyReport Report, InstanceClient Client)> AssignAsync(InstanceConfig config)
    {
        Socket socket = await SendAsync(WireCodec.EncodeAssign(config));
        string line = await NextLineAsync();
        Assert.True(line.StartsWith(ReadyReport.ReadyPrefix, StringComparison.Ordinal), $"expected the ready line, got '{line}'\n{Stderr}");
        return (ReadyReport.Parse(line[ReadyReport.ReadyPrefix.Length..]), InstanceClient.Adopt(socket));
    }

    public async Task<int> WaitForExitAsync()
    {
        await Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
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
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
