using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Serval.Core.Wire;
using Serval.Node.Capacity;
using Serval.Node.Processes;

namespace Serval.Node.Instances;

/// <summary>An instance that could not be started, with the reason its process gave.</summary>
public sealed class InstanceStartException(string message, bool noRoom = false) : Exception(message)
{
    /// <summary>True when the node had no room for the instance's resources (it may have, once idle instances stop).</summary>
    public bool NoRoom { get; } = noRoom;
}

/// <summary>
/// Starts instance processes, waits for their ready line, connects to them, watches them exit and
/// stops them (SIGTERM, bounded drain, then SIGKILL). With a <see cref="WarmPool"/>, an instance starts
/// by assigning its function to a waiting pooled process, or as a fresh process when none is waiting.
/// </summary>
public sealed partial class InstanceSupervisor : IAsyncDisposable
{
    /// <summary>Environment variables every instance process gets (the JIT settings its start was measured with).</summary>
    internal static readonly IReadOnlyDictionary<string, string> ProcessEnvironment =
        new Dictionary<string, string> { ["DOTNET_TieredPGO"] = "0", ["DOTNET_TC_QuickJitForLoops"] = "1" };

    private readonly IProcessLauncher _launcher;
    private readonly NodeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _hostPath;
    private readonly ConcurrentDictionary<string, Instance> _instances = new();

    private readonly NodeCapacity _capacity;
    private readonly IInstancePlacer? _placer;
    private int _disposed;

    /// <summary>Creates a supervisor; with a <paramref name="placer"/>, its instances run on the cluster's nodes instead of here.</summary>
    public InstanceSupervisor(IProcessLauncher launcher, NodeOptions options, NodeCapacity capacity, TimeProvider time, ILogger<InstanceSupervisor> logger, IInstancePlacer? placer = null)
    {
        _placer = placer;
        _launcher = launcher;
        _capacity = capacity;
        _options = options;
        _time = time;
        _logger = logger;
        _hostPath = options.InstanceHostPath ?? InstanceHostLocator.Find();
        Directory.CreateDirectory(options.RunDirectory);
        Directory.CreateDirectory(options.SocketDirectory);
        Pool = options.WarmPoolSize > 0 ? new WarmPool(launcher, options, _hostPath, time, logger) : null;
    }

    /// <summary>The warm pool (null when <see cref="NodeOptions.WarmPoolSize"/> is 0); call <see cref="WarmPool.Fill"/> to start it before the first instance is needed.</summary>
    public WarmPool? Pool { get; }

    /// <summary>Raised when an instance becomes ready, on a pool thread.</summary>
    public event Action<Instance>? InstanceReady;

    /// <summary>Raised when an instance ends (stopped or failed), on a pool thread.</summary>
    public event Action<Instance>? InstanceEnded;

    /// <summary>The instances not yet ended.</summary>
    public IEnumerable<Instance> Instances => _instances.Values;

    /// <summary>Raised for every line an instance writes (its handler's log): the instance, the line. On a pool thread.</summary>
    public event Action<Instance, string>? InstanceOutput;

    private void Output(string id, string line)
    {
        LogInstanceOutput(id, line);
        if (InstanceOutput is { } output && _instances.TryGetValue(id, out Instance? instance))
        {
            output(instance, line);
        }
    }

    /// <summary>
    /// Starts an instance and returns it once ready; throws <see cref="InstanceStartException"/> if it
    /// cannot start. With a placer, on a node of the cluster (<paramref name="files"/> are the package's).
    /// </summary>
    public async Task<Instance> StartAsync(InstanceConfig config, CancellationToken cancellationToken, IReadOnlyList<Packages.PackageFile>? files = null)
    {
        if (_placer is not null)
        {
            return await StartPlacedAsync(_placer, config, files ?? [], cancellationToken).ConfigureAwait(false);
        }

        if (!_capacity.TryReserve(config.Cores, config.MemoryLimitMb, config.Gpus, out int[] devices, out string? shortOf))
        {
            throw new InstanceStartException($"this node has no room for another instance ({shortOf})", noRoom: true);
        }

        // A pooled process goes on serving on the socket it was pooled on. A GPU instance starts
        // afresh: CUDA_VISIBLE_DEVICES, which gives it its devices, is fixed when a process starts.
        PooledProcess? pooled = devices.Length == 0 ? Pool?.TryTake() : null;
        if (pooled is not null)
        {
            config = config with { SocketPath = pooled.SocketPath };
        }

        var instance = new Instance(config, _time.GetUtcNow()) { Reserved = true, GpuDevices = devices };
        _instances[config.InstanceId] = instance;
        try
        {
            if (pooled is null || !await AssignAsync(pooled, instance, cancellationToken).ConfigureAwait(false))
            {
                var (process, report) = await LaunchAsync(config, check: false, instance, cancellationToken).ConfigureAwait(false);
                instance.Process = process;
                instance.Report = report;
                instance.Connection = await InstanceConnection.ConnectAsync(config.SocketPath, cancellationToken, reason => ExplainAsync(instance, reason), _time).ConfigureAwait(false);
            }

            _ = WatchAsync(instance);
            instance.TryMove(InstanceState.Ready, "loaded and warmed up", _time.GetUtcNow());
            LogReady(config.InstanceId, config.Function, config.Version, instance.ColdStartMs);
            InstanceReady?.Invoke(instance);
            return instance;
        }
        catch (Exception e)
        {
            string reason = e is InstanceStartException ? e.Message : $"could not start: {e.Message}";
            instance.Process?.Kill();
            End(instance, InstanceState.Failed, reason);
            throw e is InstanceStartException or OperationCanceledException ? e : new InstanceStartException(reason);
        }
    }

    private async Task<Instance> StartPlacedAsync(IInstancePlacer placer, InstanceConfig config, IReadOnlyList<Packages.PackageFile> files, CancellationToken cancellationToken)
    {
        var instance = new Instance(config, _time.GetUtcNow());
        _instances[config.InstanceId] = instance;
        try
        {
            PlacedInstance placed = await placer.StartAsync(config, files, cancellationToken).ConfigureAwait(false);
            instance.Placed = placed;
            instance.Connection = placed.Connection;
            _ = placed.Connection.Completion.ContinueWith(
                // Closed by a stop this supervisor ordered, or by the node (the instance died, the node went).
                _ => End(instance, instance.State == InstanceState.Draining ? InstanceState.Stopped : InstanceState.Failed, instance.State == InstanceState.Draining ? instance.Reason : placed.Connection.ClosedReason ?? $"the connection to node {placed.Node} closed"),
                TaskScheduler.Default);
            instance.TryMove(InstanceState.Ready, $"placed on node {placed.Node}", _time.GetUtcNow());
            LogReady(config.InstanceId, config.Function, config.Version, instance.ColdStartMs);
            InstanceReady?.Invoke(instance);
            return instance;
        }
        catch (Exception e)
        {
            string reason = e is InstanceStartException ? e.Message : $"could not place: {e.Message}";
            End(instance, InstanceState.Failed, reason);
            throw e is InstanceStartException or OperationCanceledException ? e : new InstanceStartException(reason);
        }
    }

    /// <summary>
    /// Gives <paramref name="instance"/>'s function to a pooled process and waits for it to be ready,
    /// on the connection that carried the assignment. False when the process could not be reached
    /// (it died as it was taken): the caller starts a fresh one instead.
    /// </summary>
    private async Task<bool> AssignAsync(PooledProcess pooled, Instance instance, CancellationToken cancellationToken)
    {
        var watch = new ReadyWatch(instance.Id, Output);
        pooled.Attach(watch.OnStdout, watch.OnStderr);
        IRunningProcess process = pooled.Process!;
        instance.Process = process;
        _ = process.Exited.ContinueWith(t => watch.OnExited(t.Result), TaskScheduler.Default);
        System.Net.Sockets.Socket socket;
        try
        {
            socket = await pooled.AssignAsync(instance.Config, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException)
        {
            LogPooledUnreachable(process.Pid, e.Message);
            process.Kill();
            return false;
        }

        try
        {
            instance.Report = await WaitReadyAsync(process, watch, cancellationToken).ConfigureAwait(false);
            instance.Connection = InstanceConnection.Adopt(socket, reason => ExplainAsync(instance, reason), _time);
            return true;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loads a version in a throw-away instance process (<c>--check</c>) to prove the package can serve:
    /// the model loads and one warm-up run succeeds. Returns its report or throws <see cref="InstanceStartException"/>.
    /// </summary>
    public async Task<ReadyReport> CheckAsync(InstanceConfig config, CancellationToken cancellationToken)
    {
        var (process, report) = await LaunchAsync(config, check: true, instance: null, cancellationToken).ConfigureAwait(false);
        using (process)
        {
            await process.Exited.WaitAsync(_options.StartTimeout, _time, cancellationToken).ConfigureAwait(false);
        }

        return report;
    }

    /// <summary>Stops an instance: no new work, bounded drain of what it holds, SIGTERM, then SIGKILL.</summary>
    public async Task StopAsync(Instance instance, string reason)
    {
        if (!instance.TryMove(InstanceState.Draining, reason, _time.GetUtcNow()))
        {
            return;
        }

        DateTimeOffset deadline = _time.GetUtcNow() + _options.DrainTimeout;
        while (instance.InFlight > 0 && _time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), _time).ConfigureAwait(false);
        }

        if (instance.Placed is { } placed && _placer is not null)
        {
            try
            {
                await _placer.StopAsync(placed, reason).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPlacedStopFailed(instance.Id, placed.Node, e.Message);
            }
        }
        else if (instance.Process is { } process)
        {
            process.Terminate();
            try
            {
                await process.Exited.WaitAsync(_options.DrainTimeout, _time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                process.Kill();
            }
        }

        End(instance, InstanceState.Stopped, reason);
    }

    private async Task<(IRunningProcess Process, ReadyReport Report)> LaunchAsync(InstanceConfig config, bool check, Instance? instance, CancellationToken cancellationToken)
    {
        string configPath = Path.Combine(_options.RunDirectory, config.InstanceId + ".json");
        await File.WriteAllTextAsync(configPath, config.ToJson(), cancellationToken).ConfigureAwait(false);
        var watch = new ReadyWatch(config.InstanceId, Output);
        List<string> arguments = [_hostPath, "--config", configPath, "--exit-on-stdin-eof"];
        if (check)
        {
            arguments.Add("--check");
        }

        IRunningProcess process = _launcher.Start(new ProcessStartRequest(
            _options.DotnetHost, arguments, EnvironmentFor(instance?.GpuDevices ?? []), config.PackageDirectory, watch.OnStdout, watch.OnStderr));
        if (instance is not null)
        {
            instance.Process = process;
        }

        _ = process.Exited.ContinueWith(t => watch.OnExited(t.Result), TaskScheduler.Default);
        return (process, await WaitReadyAsync(process, watch, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The instance process's variables: <see cref="ProcessEnvironment"/>, and its GPUs (numbered from 0 inside it) when it has any.</summary>
    internal static IReadOnlyDictionary<string, string> EnvironmentFor(IReadOnlyList<int> gpuDevices) =>
        gpuDevices.Count == 0
            ? ProcessEnvironment
            : new Dictionary<string, string>(ProcessEnvironment) { ["CUDA_VISIBLE_DEVICES"] = string.Join(",", gpuDevices) };

    private async Task<ReadyReport> WaitReadyAsync(IRunningProcess process, ReadyWatch watch, CancellationToken cancellationToken)
    {
        try
        {
            return await watch.Ready.WaitAsync(_options.StartTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            process.Kill();
            throw new InstanceStartException($"the instance was not ready within {_options.StartTimeout.TotalSeconds:0} s");
        }
        catch
        {
            process.Kill();
            throw;
        }
    }

    private async Task<string> ExplainAsync(Instance instance, string socketReason)
    {
        try
        {
            int code = await instance.Process!.Exited.WaitAsync(TimeSpan.FromSeconds(2), _time).ConfigureAwait(false);
            return $"instance {instance.Id} {instance.KillReason ?? ExitText(code)}";
        }
        catch (TimeoutException)
        {
            return $"instance {instance.Id}: {socketReason}";
        }
    }

    /// <summary>The node's capacity and what is reserved of it.</summary>
    public NodeCapacity Capacity => _capacity;

    /// <summary>
    /// One pass of the health watch (the scaling loop calls it every tick): an instance over its
    /// memory limit, or one that left a cancelled invocation unanswered for longer than the hung
    /// grace, is killed with the reason recorded; the pools replace it as needed.
    /// </summary>
    public void CheckHealth()
    {
        DateTimeOffset now = _time.GetUtcNow();
        foreach (Instance instance in _instances.Values)
        {
            if (instance.State != InstanceState.Ready || instance.Process is not { } process)
            {
                continue;
            }

            double rss = process.ResidentMemoryMb();
            if (rss > instance.Config.MemoryLimitMb)
            {
                Kill(instance, $"killed: resident memory {rss:0} MiB is over its limit of {instance.Config.MemoryLimitMb} MiB (resources.memory)");
            }
            else if (instance.Connection?.OldestUnansweredCancel is { } cancelled && now - cancelled > _options.HungGrace)
            {
                Kill(instance, $"killed: hung, a cancelled invocation went unanswered for {(now - cancelled).TotalSeconds:0.#} s");
            }
        }
    }

    private void Kill(Instance instance, string reason)
    {
        instance.KillReason ??= reason; // logged, with this reason, when the exit is seen
        instance.Process?.Kill();
    }

    private static string ExitText(int code) => code switch
    {
        0 => "exited",
        3 => "exited with code 3: an invocation hung past its deadline",
        > 128 => $"exited with code {code} (signal {code - 128}{(code == 137 ? ", SIGKILL: killed or out of memory" : "")})",
        _ => $"exited with code {code}",
    };

    private async Task WatchAsync(Instance instance)
    {
        int code = await instance.Process!.Exited.ConfigureAwait(false);
        string reason = instance.KillReason ?? ExitText(code);
        instance.Connection?.Close($"instance {instance.Id} {reason}");
        End(instance, instance.State == InstanceState.Draining ? InstanceState.Stopped : InstanceState.Failed, reason);
    }

    private void End(Instance instance, InstanceState state, string reason)
    {
        if (instance.TryMove(state, reason, _time.GetUtcNow()))
        {
            if (state == InstanceState.Failed)
            {
                LogFailed(instance.Id, reason);
            }

            instance.Connection?.Close($"instance {instance.Id} {reason}");
            _instances.TryRemove(instance.Id, out _);
            if (instance.Reserved)
            {
                instance.Reserved = false;
                _capacity.Release(instance.Config.Cores, instance.Config.MemoryLimitMb, instance.Config.Gpus, instance.GpuDevices);
            }
            try
            {
                File.Delete(Path.Combine(_options.RunDirectory, instance.Id + ".json"));
            }
            catch (IOException)
            {
            }

            InstanceEnded?.Invoke(instance);
        }
    }

    /// <summary>Stops every instance and every pooled process.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Task pool = Pool?.DisposeAsync().AsTask() ?? Task.CompletedTask;
        await Task.WhenAll(_instances.Values.Select(i => StopAsync(i, "the platform is stopping"))).ConfigureAwait(false);
        await pool.ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "instance {Id} of {Function} v{Version} ready after {ColdStartMs:0} ms")]
    private partial void LogReady(string id, string function, int version, double coldStartMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "instance {Id} failed: {Reason}")]
    private partial void LogFailed(string id, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "pooled process {Pid} could not be reached ({Problem}); starting a fresh instance process")]
    private partial void LogPooledUnreachable(int pid, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "instance {Id} on node {Node} may still run: its stop order failed ({Problem})")]
    private partial void LogPlacedStopFailed(string id, string node, string problem);

    [LoggerMessage(Level = LogLevel.Debug, Message = "[{Id}] {Line}")]
    private partial void LogInstanceOutput(string id, string line);
}
