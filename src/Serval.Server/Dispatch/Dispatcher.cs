using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Serval.Core.Dispatching;
using Serval.Core.Wire;
using Serval.Node.Instances;
using Serval.Node.Packages;
using Serval.Server.Deployment;
using Serval.Server.Functions;
using Serval.Server.Monitoring;

namespace Serval.Server.Dispatch;

/// <summary>
/// Sends invocations to instances: one <see cref="VersionPool"/> per version (queue, slots,
/// instances), a deadline per invocation (the function's <c>timeout</c>, or a shorter one the caller
/// asks for), and the answer as a value.
/// </summary>
public sealed class Dispatcher
{
    private readonly ConcurrentDictionary<(string Function, int Version), VersionPool> _pools = new();
    private readonly InstanceSupervisor _supervisor;
    private readonly PackageCache _packages;
    private readonly InstanceConfigFactory _configs;
    private readonly DispatchOptions _options;
    private readonly TimeProvider _time;

    private readonly Serval.Core.Autoscaling.AutoscalerOptions _autoscaler;

    /// <summary>Creates the dispatcher and subscribes to instance ends.</summary>
    public Dispatcher(InstanceSupervisor supervisor, PackageCache packages, InstanceConfigFactory configs, DispatchOptions options, Serval.Core.Autoscaling.AutoscalerOptions autoscaler, TimeProvider time)
    {
        _autoscaler = autoscaler;
        _supervisor = supervisor;
        _packages = packages;
        _configs = configs;
        _options = options;
        _time = time;
        supervisor.InstanceEnded += instance =>
        {
            if (_pools.TryGetValue((instance.Config.Function, instance.Config.Version), out VersionPool? pool))
            {
                pool.OnEnded(instance);
            }
        };
    }

    /// <summary>The pools, for the autoscaler.</summary>
    public ICollection<VersionPool> Pools => _pools.Values;

    /// <summary>The pool of <paramref name="version"/>, created empty if missing.</summary>
    public VersionPool Pool(DeployedVersion version) =>
        _pools.GetOrAdd((version.Function, version.Version), _ => new VersionPool(version, StartAsync, StopAsync, _options, _time, _autoscaler.StableWindow));

    /// <summary>Runs one invocation (an <see cref="InferRequest"/> or a <see cref="RawRequest"/>) on <paramref name="version"/>.</summary>
    /// <param name="version">The version to run.</param>
    /// <param name="request">The request.</param>
    /// <param name="callerTimeout">A deadline the caller asked for; the function's own <c>timeout</c> when longer or null.</param>
    /// <param name="cancellationToken">The caller gave up.</param>
    public async Task<InvocationResult> InvokeAsync(DeployedVersion version, InvokeRequest request, TimeSpan? callerTimeout, CancellationToken cancellationToken)
    {
        if (version.Spec.Runtime == Core.Specs.RuntimeKind.Plan)
        {
            throw new ArgumentException($"'{version.Function}' is a plan: it has no instances and runs through the PlanRunner", nameof(version));
        }

        using Activity? span = Tracing.StartInvoke(version.Function, version.Version, request is RawRequest raw ? RequestId(raw) : null);
        if (span is not null && request is RawRequest traced)
        {
            // A dotnet handler continues the trace from its request's traceparent: its parent is this call.
            request = traced with { Headers = [.. traced.Headers, new("traceparent", span.Id!)] };
        }

        VersionPool pool = Pool(version);
        TimeSpan timeout = callerTimeout is { } asked && asked < version.Spec.Timeout ? asked : version.Spec.Timeout;
        // The deadline runs on the injected clock, so a test moves it with a fake one.
        using var timer = new CancellationTokenSource(timeout, _time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        // An instance that died a moment ago may still be handed out before its pool hears of it; what
        // never reached it goes to another instance (twice at most), so only its in-flight requests fail.
        for (int attempt = 0; ; attempt++)
        {
            InvocationResult result = await InvokeOnceAsync(version, pool, request, timeout, deadline, cancellationToken).ConfigureAwait(false);
            if (!result.Outcome.NotSent || attempt == 2 || deadline.IsCancellationRequested)
            {
                if (span is not null)
                {
                    span.SetTag("faas.coldstart", result.ColdStart);
                    span.SetTag("serval.instance", result.InstanceId);
                    if (result.Outcome.Error is { } error)
                    {
                        span.SetStatus(ActivityStatusCode.Error, error.Message);
                        span.SetTag("error.type", Metrics.Cause(error));
                    }
                }

                return result;
            }
        }
    }

    private async Task<InvocationResult> InvokeOnceAsync(DeployedVersion version, VersionPool pool, InvokeRequest request, TimeSpan timeout, CancellationTokenSource deadline, CancellationToken cancellationToken)
    {
        DateTimeOffset asked = _time.GetUtcNow();
        Lease lease = await pool.AcquireAsync(deadline.Token).ConfigureAwait(false);
        if (Activity.Current is not null && lease.QueueMs > 0)
        {
            // The wait for a slot, and when it waited for an instance to start, that start: spans of their own.
            Tracing.Span(lease.Cold ? "cold start" : "queue", asked);
        }

        if (lease.Instance is not { } instance)
        {
            InvokeError error = lease.Error!;
            if (error.Kind == ErrorKind.Timeout)
            {
                error = error with { Message = $"{error.Message}; the deadline is {timeout.TotalSeconds:0.###} s" };
            }

            return new InvocationResult(new InvokeOutcome(default, error), "", false, 0, 0, lease.QueueMs);
        }

        try
        {
            InstanceConnection connection = instance.Connection!;
            ulong id = connection.NextId();
            uint timeoutMs = (uint)Math.Min(uint.MaxValue, Math.Max(1, (timeout.TotalMilliseconds - lease.QueueMs)));
            using WireWriter frame = request.Encode(id, timeoutMs);
            long started = _time.GetTimestamp();
            InvokeOutcome outcome = await connection.InvokeAsync(id, frame.Complete(), deadline.Token).ConfigureAwait(false);
            double durationMs = _time.GetElapsedTime(started).TotalMilliseconds;
            if (outcome.Error is { Kind: ErrorKind.Timeout } && !cancellationToken.IsCancellationRequested)
            {
                outcome = InvokeOutcome.Fail(ErrorKind.Timeout, $"{version.Function} v{version.Version} did not answer within its deadline of {timeout.TotalSeconds:0.###} s");
            }

            return new InvocationResult(outcome, instance.Id, lease.Cold, durationMs, instance.Process?.ResidentMemoryMb() ?? 0, lease.QueueMs, instance.Placed?.Node, lease.Provisioned);
        }
        finally
        {
            pool.Release(instance);
        }
    }

    private static string? RequestId(RawRequest request)
    {
        foreach (var (key, value) in request.Headers)
        {
            if (key == "x-request-id")
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>The live instances of <paramref name="function"/>.</summary>
    public IEnumerable<Instance> InstancesOf(string function) =>
        _supervisor.Instances.Where(i => i.Config.Function == function && !i.Id.StartsWith("check-", StringComparison.Ordinal));

    /// <summary>Stops every instance of <paramref name="function"/> and forgets its pools.</summary>
    public async Task RemoveAsync(string function)
    {
        var stops = new List<Task>();
        foreach (var key in _pools.Keys.Where(k => k.Function == function).ToList())
        {
            if (_pools.TryRemove(key, out VersionPool? pool))
            {
                stops.AddRange(pool.Close("the function was removed").Select(i => _supervisor.StopAsync(i, "the function was removed")));
            }
        }

        await Task.WhenAll(stops).ConfigureAwait(false);
        _packages.Remove(function);
    }

    /// <summary>Forgets an empty pool of a version nobody routes to any more.</summary>
    public void Forget(VersionPool pool)
    {
        if (pool.IsEmpty)
        {
            _pools.TryRemove(new KeyValuePair<(string, int), VersionPool>((pool.Version.Function, pool.Version.Version), pool));
        }
    }

    /// <summary>
    /// Starts an instance of <paramref name="version"/>. When the node has no room and requests wait
    /// for the instance, idle on-demand instances of other versions give theirs back, longest idle
    /// first (as OpenWhisk evicts idle containers): an instance kept warm for a function nobody calls
    /// must not refuse one that is called. Provisioned instances and busy ones are never taken; with
    /// none left, the refusal stands. A start nobody waits for (the autoscaler's) takes nothing, so
    /// two functions cannot take turns evicting each other between requests.
    /// </summary>
    private async Task<Instance> StartAsync(DeployedVersion version, CancellationToken cancellationToken)
    {
        string packageDir = _packages.Materialize(version.Function, version.Version, version.Record.Files);
        for (int reclaimed = 0; ; reclaimed++)
        {
            string id = $"{version.Function}-v{version.Version}-{Guid.NewGuid():N}"[..(version.Function.Length + version.Version.ToString().Length + 10)];
            InstanceStartException refusal;
            try
            {
                return await _supervisor.StartAsync(_configs.Create(version.Spec, version.Version, id, packageDir), cancellationToken, version.Record.Files).ConfigureAwait(false);
            }
            catch (InstanceStartException e) when (e.NoRoom && reclaimed < MaxReclaims
                && _pools.TryGetValue((version.Function, version.Version), out VersionPool? pool) && pool.HasWaiters)
            {
                refusal = e;
            }

            if (!await ReclaimAsync(version).ConfigureAwait(false))
            {
                ExceptionDispatchInfo.Throw(refusal);
            }
        }
    }

    /// <summary>The most idle instances stopped to make room for one start: enough for any size, bounded.</summary>
    private const int MaxReclaims = 16;

    /// <summary>Stops the longest-idle on-demand instance of any other version; false when there is none.</summary>
    private async Task<bool> ReclaimAsync(DeployedVersion forVersion)
    {
        // A candidate that got work between the choice and the retirement is passed over; bounded.
        for (int tries = 0; tries < MaxReclaims; tries++)
        {
            var candidates = _pools.Values
                .Where(p => p.Version.Function != forVersion.Function || p.Version.Version != forVersion.Version)
                .Select(p => (Pool: p, Idle: p.LongestIdle()))
                .Where(c => c.Idle is not null)
                .ToList();
            if (candidates.Count == 0)
            {
                return false;
            }

            var views = new InstanceView[candidates.Count];
            for (int i = 0; i < views.Length; i++)
            {
                views[i] = new InstanceView(0, false, true, candidates[i].Idle!.Value.LastUsed);
            }

            var (pool, idle) = candidates[Retirement.LongestIdle(views)];
            Instance instance = idle!.Value.Instance;
            if (pool.TryRetire(instance))
            {
                await _supervisor.StopAsync(instance, $"reclaimed: idle, and {forVersion.Function} v{forVersion.Version} needs its room").ConfigureAwait(false);
                return true;
            }
        }

        return false;
    }

    private Task StopAsync(Instance instance, string reason) => _supervisor.StopAsync(instance, reason);
}
