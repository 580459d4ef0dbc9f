using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Serval.Server.Dispatch;
using Serval.Server.Functions;
using Serval.Server.Monitoring;
using Serval.Server.Plans;

namespace Serval.Server.Async;

/// <summary>
/// Runs stored asynchronous invocations: claims due ones per function (never more than the
/// function's <c>instances.max × concurrency</c> at once), sends each through the
/// <see cref="Dispatcher"/> like any request (so the autoscaler sees the load), renews the leases of
/// those it holds, and records each run's end. An invocation of a plan is a job: it runs through the
/// <see cref="PlanRunner"/> (its map steps fan out through the dispatcher), at most
/// <see cref="AsyncOptions.PlanRuns"/> per plan at once. <see cref="TickAsync"/> is one step of the loop.
/// </summary>
public sealed partial class AsyncDispatcher : IHostedService
{
    private readonly IInvocationStore _store;
    private readonly FunctionCatalog _catalog;
    private readonly Dispatcher _dispatcher;
    private readonly PlanRunner _plans;
    private readonly InvocationRecorder _recorder;
    private readonly Metrics _metrics;
    private readonly AsyncOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AsyncDispatcher> _log;
    private readonly Wakeup _wakeup = new();
    private readonly ConcurrentDictionary<string, byte> _hot = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AsyncRun> _held = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _inFlight = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, DateTimeOffset> _retries = new();
    private readonly CancellationTokenSource _stopping = new();
    private DateTimeOffset _nextPoll;
    private DateTimeOffset _nextRenewal;
    private Task? _loop;

    /// <summary>Creates the dispatcher; <see cref="StartAsync"/> starts its loop.</summary>
    public AsyncDispatcher(IInvocationStore store, FunctionCatalog catalog, Dispatcher dispatcher, PlanRunner plans, InvocationRecorder recorder, Metrics metrics, AsyncOptions options, TimeProvider time, ILogger<AsyncDispatcher> log)
    {
        _store = store;
        _catalog = catalog;
        _dispatcher = dispatcher;
        _plans = plans;
        _recorder = recorder;
        _metrics = metrics;
        _options = options;
        _time = time;
        _log = log;
        Owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}"[..^24];
    }

    /// <summary>This platform's name on the leases it takes (host, process, a random part).</summary>
    public string Owner { get; }

    /// <summary>Raised when a run's end queued a webhook delivery.</summary>
    public event Action? WebhookQueued;

    /// <summary>Tells the loop <paramref name="function"/> has new work.</summary>
    public void Notify(string function)
    {
        _hot[function] = 0;
        _wakeup.Set();
    }

    /// <summary>Stops the run of <paramref name="id"/> if this platform runs it; it then ends Cancelled.</summary>
    public bool Cancel(string id)
    {
        if (!_held.TryGetValue(id, out AsyncRun? run))
        {
            return false;
        }

        run.Cancel();
        return true;
    }

    /// <summary>Stops every run of <paramref name="function"/> this platform holds (the function was deleted).</summary>
    public void CancelFunction(string function)
    {
        foreach (AsyncRun run in _held.Values)
        {
            if (run.Function == function)
            {
                run.Cancel();
            }
        }
    }

    /// <summary>One step: renew leases, look for due work, claim what the functions have room for.</summary>
    /// <returns>How long the loop may sleep if nothing wakes it.</returns>
    public async Task<TimeSpan> TickAsync()
    {
        DateTimeOffset now = _time.GetUtcNow();
        if (now >= _nextRenewal)
        {
            _nextRenewal = now + _options.Lease / 3;
            await RenewAsync(now).ConfigureAwait(false);
        }

        if (now >= _nextPoll)
        {
            _nextPoll = now + _options.PollInterval;
            foreach (string function in await _store.RecoverAsync(now).ConfigureAwait(false))
            {
                _hot[function] = 0;
            }

            foreach (string function in await _store.DueFunctionsAsync(now).ConfigureAwait(false))
            {
                _hot[function] = 0;
            }
        }

        DateTimeOffset wakeAt = _nextPoll < _nextRenewal ? _nextPoll : _nextRenewal;
        lock (_retries)
        {
            while (_retries.TryPeek(out string? function, out DateTimeOffset due))
            {
                if (due > now)
                {
                    wakeAt = due < wakeAt ? due : wakeAt;
                    break;
                }

                _retries.Dequeue();
                _hot[function] = 0;
            }
        }

        if (!_stopping.IsCancellationRequested)
        {
            foreach (string function in _hot.Keys)
            {
                await ClaimAsync(function, now).ConfigureAwait(false);
            }
        }

        return wakeAt - now;
    }

    private async Task ClaimAsync(string function, DateTimeOffset now)
    {
        if (!_hot.TryRemove(function, out _))
        {
            return;
        }

        if (!_catalog.Functions.TryGetValue(function, out DeployedFunction? deployed))
        {
            int failed = await _store.FailFunctionAsync(function, AsyncInvocations.DeletedReason(function), now).ConfigureAwait(false);
            if (failed > 0)
            {
                LogDeletedFunction(failed, function);
            }

            return;
        }

        var spec = deployed.Latest.Spec;
        int room = spec.Runtime == Core.Specs.RuntimeKind.Plan ? _options.PlanRuns : spec.Instances.Max * spec.Instances.Concurrency;
        int free = room - _inFlight.GetValueOrDefault(function);
        if (free <= 0)
        {
            _hot[function] = 0; // woken again when a run ends
            return;
        }

        IReadOnlyList<ClaimedInvocation> claimed = await _store.ClaimAsync(function, free, Owner, now, now + _options.Lease).ConfigureAwait(false);
        if (claimed.Count == free)
        {
            _hot[function] = 0; // there may be more
        }

        foreach (ClaimedInvocation invocation in claimed)
        {
            _inFlight.AddOrUpdate(function, 1, (_, n) => n + 1);
            var run = new AsyncRun(function, CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token));
            _held[invocation.Id] = run;
            _ = Task.Run(() => RunAsync(invocation, run));
        }
    }

    private async Task RenewAsync(DateTimeOffset now)
    {
        if (_held.IsEmpty)
        {
            return;
        }

        try
        {
            foreach (string id in await _store.RenewAsync(Owner, _held.Keys, now + _options.Lease).ConfigureAwait(false))
            {
                Cancel(id); // asked for through another platform
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogRenewFailed(e);
        }
    }

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _loop ??= Task.Run(LoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops claiming, interrupts the runs (they go back to the queue at once, their attempt marked
    /// interrupted) and waits, bounded, for their ends to be written. Safe to call twice.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_stopping.IsCancellationRequested)
        {
            _stopping.Cancel();
        }

        if (_loop is { } loop)
        {
            await loop.ConfigureAwait(false);
        }

        try
        {
            await Task.WhenAll(_held.Values.Select(r => r.Finished.Task)).WaitAsync(TimeSpan.FromSeconds(10), _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Their leases lapse and they run again after the restart.
        }
    }

    private async Task LoopAsync()
    {
        CancellationToken stop = _stopping.Token;
        while (!stop.IsCancellationRequested)
        {
            Task armed = _wakeup.Arm();
            TimeSpan sleep;
            try
            {
                sleep = await TickAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogTickFailed(e);
                sleep = _options.PollInterval;
            }

            try
            {
                await Wakeup.WaitAsync(armed, sleep, _time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} queued invocations of {Function} failed: the function was deleted")]
    private partial void LogDeletedFunction(int count, string function);

    [LoggerMessage(Level = LogLevel.Error, Message = "renewing the leases of running invocations failed")]
    private partial void LogRenewFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Error, Message = "running invocation {Id} failed in the platform")]
    private partial void LogRunFailed(Exception e, string id);

    [LoggerMessage(Level = LogLevel.Information, Message = "invocation {Id}: the end of its run was not recorded: this platform no longer held it (its lease expired, or it was ended meanwhile)")]
    private partial void LogLeaseLost(string id);

    [LoggerMessage(Level = LogLevel.Error, Message = "recording the end of invocation {Id} failed")]
    private partial void LogCompleteFailed(Exception e, string id);

    [LoggerMessage(Level = LogLevel.Error, Message = "an async dispatch step failed")]
    private partial void LogTickFailed(Exception e);
}
