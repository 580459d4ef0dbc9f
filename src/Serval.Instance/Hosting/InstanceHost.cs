using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Serval.Core.Wire;
using Serval.Instance.Logging;
using Serval.Instance.Pooling;
using Serval.Instance.Runtimes;
using Serval.Onnx;

namespace Serval.Instance.Hosting;

/// <summary>
/// The instance's lifecycle: load, warm up, listen, report ready, serve until told to stop, then
/// stop admitting, drain (bounded), and dispose. Load failures are reported as one
/// <c>SERVAL-FAILED</c> line and exit code 1. A pooled process (<see cref="PoolStandby"/>) enters
/// this lifecycle at "load" once it is assigned its function.
/// </summary>
internal sealed class InstanceHost
{
    /// <summary>
    /// How long a stop waits for invocations in flight. 10 s: well above a normal run (rec 24 ms,
    /// det 94 ms on one core) and below the 30 s a supervisor commonly waits before SIGKILL.
    /// </summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long cancelled invocations get to return after the drain timed out.</summary>
    public static readonly TimeSpan AbortGrace = TimeSpan.FromSeconds(2);

    private readonly InstanceConfig _config;
    private readonly TextWriter _stdout;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ILogger _functionLogger;

    public InstanceHost(InstanceConfig config, TextWriter stdout, TimeProvider time)
    {
        _config = config;
        _stdout = stdout;
        _time = time;
        LogLevel minimum = StderrLogger.MinimumFromEnvironment();
        _logger = new StderrLogger($"instance {config.Function} v{config.Version}", time, minimum);
        _functionLogger = new StderrLogger(config.Function, time, minimum);
    }

    /// <summary><c>--check</c>: load and warm up, report, exit. Nothing is bound.</summary>
    public int Check()
    {
        using IRuntime? runtime = Load(out ReadyReport? report);
        if (runtime is null)
        {
            return 1;
        }

        Ready(report!, assignment: null);
        return 0;
    }

    /// <summary>
    /// Serves until <paramref name="shutdown"/> asks to stop; the process's exit code. With an
    /// <paramref name="assignment"/> (a pooled instance) it serves on the pool's listener and on the
    /// connection that brought the assignment, instead of binding the config's socket path.
    /// </summary>
    public async Task<int> RunAsync(ShutdownSignal shutdown, Assignment? assignment = null)
    {
        IRuntime? runtime = Load(out ReadyReport? report);
        if (runtime is null)
        {
            return 1;
        }

        if (shutdown.Requested.IsCompleted)
        {
            runtime.Dispose();
            return 0;
        }

        var invoker = new Invoker(runtime, _config.Concurrency, _logger, _config.HungGraceMs);
        var server = new SocketServer(_config.SocketPath, invoker, _time, _logger);
        try
        {
            if (assignment is null)
            {
                server.Listen();
            }
            else
            {
                server.Listen(assignment.Listener);
            }
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
        {
            runtime.Dispose();
            Fail($"cannot listen on '{_config.SocketPath}': {e.Message}");
            return 1;
        }

        Task accepting = server.AcceptAsync();
        if (assignment is not null)
        {
            server.Serve(assignment.Connection);
        }

        Ready(report!, assignment);
        Log.Listening(_logger, _config.SocketPath);

        string reason = await shutdown.Requested.ConfigureAwait(false);
        invoker.StopAdmitting();
        server.StopAccepting();
        Log.Stopping(_logger, reason, invoker.InFlight);
        bool idle = await invoker.DrainAsync(DrainTimeout, _time).ConfigureAwait(false);
        if (!idle)
        {
            Log.DrainTimedOut(_logger, invoker.InFlight, DrainTimeout.TotalSeconds);
            server.StopInvocations(StopReason.Shutdown);
            idle = await invoker.DrainAsync(AbortGrace, _time).ConfigureAwait(false);
        }

        await server.CloseAsync().ConfigureAwait(false);
        await accepting.ConfigureAwait(false);
        if (idle)
        {
            // A run still inside ONNX Runtime would use the session after its release; the process
            // is about to exit anyway, which frees everything.
            runtime.Dispose();
        }

        return 0;
    }

    private IRuntime? Load(out ReadyReport? report)
    {
        report = null;
        if (_config.Concurrency < 1 || _config.IntraOpThreads < 0)
        {
            Fail($"concurrency must be at least 1 (it is {_config.Concurrency}) and intra-op threads at least 0 (it is {_config.IntraOpThreads})");
            return null;
        }

        // Each running invocation holds a pool thread for the length of an ONNX run; without a
        // higher floor the pool would add threads for them slowly (about one per 0.5 s).
        ThreadPool.GetMinThreads(out int workers, out int completion);
        ThreadPool.SetMinThreads(Math.Max(workers, _config.Concurrency + 2), completion);

        long start = _time.GetTimestamp();
        IRuntime? runtime = null;
        double loadMs, warmupMs;
        try
        {
            runtime = RuntimeFactory.Load(_config, _logger, _functionLogger);
            loadMs = _time.GetElapsedTime(start).TotalMilliseconds;
            long warm = _time.GetTimestamp();
            runtime.WarmUp();
            warmupMs = _time.GetElapsedTime(warm).TotalMilliseconds;
        }
        catch (Exception e)
        {
            // The edge of the process: whatever stops the load is reported in one line.
            runtime?.Dispose();
            Fail(e is InstanceLoadException or OrtException ? e.Message : $"{e.GetType().FullName}: {e.Message}");
            return null;
        }

        report = new ReadyReport
        {
            Inputs = [.. runtime.Inputs],
            Outputs = [.. runtime.Outputs],
            LoadMs = Math.Round(loadMs, 1),
            WarmupMs = Math.Round(warmupMs, 1),
            OrtVersion = OrtVersion(),
        };
        return runtime;
    }

    /// <summary>The ORT version; a dotnet function without models runs (and reports) without ORT.</summary>
    private static string OrtVersion()
    {
        try
        {
            return OrtEnvironment.Version;
        }
        catch (OrtException)
        {
            return "";
        }
    }

    private void Ready(ReadyReport report, Assignment? assignment)
    {
        double startMs = assignment is null
            ? (_time.GetLocalNow().DateTime - Process.GetCurrentProcess().StartTime).TotalMilliseconds
            : _time.GetElapsedTime(assignment.ReceivedAt).TotalMilliseconds;
        _stdout.WriteLine((report with { StartMs = Math.Round(startMs, 1), Pooled = assignment is not null }).ToLine());
        _stdout.Flush();
    }

    private void Fail(string message)
    {
        _stdout.WriteLine(ReadyReport.FailedPrefix + message.ReplaceLineEndings(" "));
        _stdout.Flush();
    }
}
