using System.Net.Sockets;
using Serval.Core.Wire;
using Serval.Node.Processes;

namespace Serval.Node.Instances;

/// <summary>
/// One process of the <see cref="WarmPool"/>: an instance host started with <c>--pool</c>, listening
/// on its own socket and waiting for the Assign frame that makes it an instance of some function.
/// Its output lines go to the pool's log until <see cref="Attach"/> hands them to the instance's start.
/// </summary>
public sealed class PooledProcess
{
    private readonly TaskCompletionSource _pooled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<string> _log;
    private volatile Action<string>? _stdout;
    private volatile Action<string>? _stderr;

    internal PooledProcess(string socketPath, Action<string> log)
    {
        SocketPath = socketPath;
        _log = log;
    }

    /// <summary>The socket it listens on, which becomes its instance's socket.</summary>
    public string SocketPath { get; }

    /// <summary>The OS process (null only while it is being started).</summary>
    public IRunningProcess? Process { get; private set; }

    /// <summary>Completes when it prints <c>SERVAL-POOLED</c>; fails when it exits or reports a failure first.</summary>
    public Task Pooled => _pooled.Task;

    /// <summary>True while it waits for an assignment: pooled and not exited.</summary>
    public bool IsWaiting => _pooled.Task.IsCompletedSuccessfully && Process is { Exited.IsCompleted: false };

    internal void Started(IRunningProcess process)
    {
        Process = process;
        _ = process.Exited.ContinueWith(
            t => _pooled.TrySetException(new InstanceStartException($"the pooled process exited with code {t.Result} before it was ready")),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Takes one stdout line (the launcher's callback).</summary>
    internal void OnStdout(string line)
    {
        if (_stdout is { } attached)
        {
            attached(line);
        }
        else if (line == ReadyReport.PooledLine)
        {
            _pooled.TrySetResult();
        }
        else if (line.StartsWith(ReadyReport.FailedPrefix, StringComparison.Ordinal))
        {
            _pooled.TrySetException(new InstanceStartException(line[ReadyReport.FailedPrefix.Length..]));
        }
        else
        {
            _log(line);
        }
    }

    /// <summary>Takes one stderr line (the launcher's callback).</summary>
    internal void OnStderr(string line) => (_stderr ?? _log)(line);

    /// <summary>From now on its output goes to <paramref name="stdout"/> and <paramref name="stderr"/> (the instance's start watches it).</summary>
    internal void Attach(Action<string> stdout, Action<string> stderr)
    {
        _stderr = stderr;
        _stdout = stdout;
    }

    /// <summary>
    /// Connects to its socket and sends the Assign frame for <paramref name="config"/>; the connection
    /// returned becomes the instance's (see <see cref="Frame"/>).
    /// </summary>
    internal async Task<Socket> AssignAsync(InstanceConfig config, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cancellationToken).ConfigureAwait(false);
            using WireWriter assign = WireCodec.EncodeAssign(config);
            await socket.SendAsync(assign.Complete(), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
