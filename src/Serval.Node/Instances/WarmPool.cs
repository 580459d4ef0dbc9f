using Microsoft.Extensions.Logging;
using Serval.Core.Retries;
using Serval.Node.Processes;

namespace Serval.Node.Instances;

/// <summary>
/// Keeps <see cref="NodeOptions.WarmPoolSize"/> generic instance processes started and waiting
/// (<c>serval-instance --pool</c>): the .NET start, ONNX Runtime's load and environment and the JIT are
/// paid before a function needs an instance, so a cold start is only the model's load. A process taken
/// is replaced in the background, shortly after; one that dies while it waits is replaced at once. A process
/// that fails before it is ready is retried after <see cref="RetryDelay"/>, so a broken install does
/// not spin. Processes start through the <see cref="IProcessLauncher"/> like every other.
/// </summary>
public sealed partial class WarmPool : IAsyncDisposable
{
    /// <summary>The longest wait between attempts to start a pooled process that keeps failing.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(60);

    private static readonly Backoff Retry = new(TimeSpan.FromSeconds(1), MaxRetryDelay);

    private readonly IProcessLauncher _launcher;
    private readonly NodeOptions _options;
    private readonly string _hostPath;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly List<PooledProcess> _processes = [];
    private int _failures;
    private bool _retryPending;
    private bool _disposed;

    /// <summary>Creates an empty pool; <see cref="Fill"/> (or the first <see cref="TryTake"/>) starts its processes.</summary>
    public WarmPool(IProcessLauncher launcher, NodeOptions options, string hostPath, TimeProvider time, ILogger logger)
    {
        _launcher = launcher;
        _options = options;
        _hostPath = hostPath;
        _time = time;
        _logger = logger;
    }

    /// <summary>How many processes the pool keeps.</summary>
    public int Size => _options.WarmPoolSize;

    /// <summary>Processes ready to be taken.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                int count = 0;
                foreach (PooledProcess process in _processes)
                {
                    count += process.IsWaiting ? 1 : 0;
                }

                return count;
            }
        }
    }

    /// <summary>Processes in the pool, starting or waiting.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _processes.Count;
            }
        }
    }

    /// <summary>
    /// The wait before the next attempt after <paramref name="failures"/> pooled processes in a row
    /// failed to become ready: 1 s doubled per failure, at most <see cref="MaxRetryDelay"/>
    /// (1 → 1 s, 3 → 4 s, 7 → 64 s capped to 60 s). A healthy start takes about 0.2 s, so a failure is a
    /// broken install (no dotnet, no instance host, no socket folder), which retrying at once cannot mend.
    /// </summary>
    public static TimeSpan RetryDelay(int failures) => Retry.Delay(failures);

    /// <summary>Starts processes until the pool holds <see cref="Size"/> (none while a retry waits or after disposal).</summary>
    public void Fill()
    {
        List<PooledProcess> starting = [];
        lock (_gate)
        {
            if (_disposed || _retryPending)
            {
                return;
            }

            while (_processes.Count < Size)
            {
                string socket = Path.Combine(_options.SocketDirectory, "pool-" + Guid.NewGuid().ToString("N")[..12] + ".sock");
                var process = new PooledProcess(socket, line => LogPoolOutput(Path.GetFileName(socket), line));
                _processes.Add(process);
                starting.Add(process);
            }
        }

        foreach (PooledProcess process in starting)
        {
            Launch(process);
        }
    }

    /// <summary>
    /// Takes a waiting process out of the pool, or null when none is waiting. The pool is refilled in
    /// the background: after <see cref="NodeOptions.WarmPoolRefillDelay"/> when one was taken (so the
    /// replacement's start does not compete with the cold start that took it), at once when none was.
    /// </summary>
    public PooledProcess? TryTake()
    {
        PooledProcess? taken = null;
        lock (_gate)
        {
            foreach (PooledProcess process in _processes)
            {
                if (process.IsWaiting)
                {
                    taken = process;
                    break;
                }
            }

            if (taken is not null)
            {
                _processes.Remove(taken);
            }
        }

        if (taken is null)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static pool => pool.Fill(), this, preferLocal: false);
        }
        else
        {
            _ = RefillLaterAsync();
        }

        return taken;
    }

    private async Task RefillLaterAsync()
    {
        await Task.Delay(_options.WarmPoolRefillDelay, _time).ConfigureAwait(false);
        Fill();
    }

    /// <summary>Stops every process still in the pool (SIGTERM, then SIGKILL after the drain timeout).</summary>
    public async ValueTask DisposeAsync()
    {
        List<PooledProcess> processes;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            processes = [.. _processes];
            _processes.Clear();
        }

        await Task.WhenAll(processes.Select(StopAsync)).ConfigureAwait(false);
    }

    private async Task StopAsync(PooledProcess pooled)
    {
        if (pooled.Process is not { } process)
        {
            return; // still being launched: Launch sees the disposal and kills it
        }

        process.Terminate();
        try
        {
            await process.Exited.WaitAsync(_options.DrainTimeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            process.Kill();
        }

        process.Dispose();
        TryDelete(pooled.SocketPath);
    }

    private void Launch(PooledProcess pooled)
    {
        IRunningProcess? process;
        try
        {
            process = _launcher.Start(new ProcessStartRequest(
                _options.DotnetHost,
                [_hostPath, "--pool", "--socket", pooled.SocketPath, "--exit-on-stdin-eof"],
                InstanceSupervisor.ProcessEnvironment,
                _options.RunDirectory,
                pooled.OnStdout,
                pooled.OnStderr));
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            Failed(pooled, $"could not start: {e.Message}");
            return;
        }

        lock (_gate)
        {
            if (!_disposed)
            {
                pooled.Started(process);
                process = null;
            }
        }

        if (process is not null)
        {
            process.Kill(); // the pool was disposed while this one started
            process.Dispose();
            return;
        }

        _ = WatchAsync(pooled);
    }

    private async Task WatchAsync(PooledProcess pooled)
    {
        IRunningProcess process = pooled.Process!;
        try
        {
            await pooled.Pooled.WaitAsync(_options.StartTimeout, _time).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or InstanceStartException)
        {
            process.Kill();
            Failed(pooled, e is TimeoutException ? $"not ready within {_options.StartTimeout.TotalSeconds:0} s" : e.Message);
            return;
        }

        lock (_gate)
        {
            _failures = 0;
        }

        LogPooled(process.Pid, pooled.SocketPath);
        int code = await process.Exited.ConfigureAwait(false);
        bool replace;
        lock (_gate)
        {
            replace = _processes.Remove(pooled) && !_disposed;
        }

        if (replace)
        {
            LogDiedWaiting(process.Pid, code);
            process.Dispose();
            TryDelete(pooled.SocketPath);
            Fill();
        }
    }

    private void Failed(PooledProcess pooled, string reason)
    {
        TimeSpan delay;
        Task? retry = null;
        lock (_gate)
        {
            if (!_processes.Remove(pooled) || _disposed)
            {
                return;
            }

            _failures++;
            delay = RetryDelay(_failures);
            if (!_retryPending)
            {
                // Armed in the same step that takes the process out, so whoever sees it gone sees the retry due.
                _retryPending = true;
                retry = Task.Delay(delay, _time);
            }
        }

        pooled.Process?.Dispose();
        LogStartFailed(reason, delay.TotalSeconds);
        if (retry is not null)
        {
            _ = RetryAsync(retry);
        }
    }

    private async Task RetryAsync(Task delay)
    {
        await delay.ConfigureAwait(false);
        lock (_gate)
        {
            _retryPending = false;
        }

        Fill();
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A stale socket file is replaced by the next process to use the path.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "pooled process {Pid} waiting on {SocketPath}")]
    private partial void LogPooled(int pid, string socketPath);

    [LoggerMessage(Level = LogLevel.Warning, Message = "pooled process {Pid} exited with code {Code} while waiting; starting another")]
    private partial void LogDiedWaiting(int pid, int code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "a pooled process failed to start ({Reason}); next attempt in {Seconds} s")]
    private partial void LogStartFailed(string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Debug, Message = "[{Socket}] {Line}")]
    private partial void LogPoolOutput(string socket, string line);
}
