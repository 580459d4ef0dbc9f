using System.Collections.Concurrent;
using Serval.Core.Wire;
using Serval.Node.Instances;
using Serval.Node.Packages;
using Serval.Server.Deployment;
using Serval.Server.Functions;
using Serval.Server.Storage;

namespace Serval.Server.Dispatch;

/// <summary>
/// Sends invocations to instances: one <see cref="VersionPool"/> per version, a deadline per
/// invocation (the function's <c>timeout</c>), the answer as a value.
/// </summary>
public sealed class Dispatcher : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(string Function, int Version), VersionPool> _pools = new();
    private readonly InstanceSupervisor _supervisor;
    private readonly PackageCache _packages;
    private readonly InstanceConfigFactory _configs;
    private readonly TimeProvider _time;

    /// <summary>Creates the dispatcher and subscribes to instance ends.</summary>
    public Dispatcher(InstanceSupervisor supervisor, PackageCache packages, InstanceConfigFactory configs, TimeProvider time)
    {
        _supervisor = supervisor;
        _packages = packages;
        _configs = configs;
        _time = time;
        supervisor.InstanceEnded += instance =>
        {
            if (_pools.TryGetValue((instance.Config.Function, instance.Config.Version), out VersionPool? pool))
            {
                pool.Remove(instance);
            }
        };
    }

    /// <summary>Runs one invocation (<see cref="InferRequest"/> or <see cref="RawRequest"/>) on <paramref name="version"/>.</summary>
    public async Task<InvocationResult> InvokeAsync(DeployedVersion version, object request, CancellationToken cancellationToken)
    {
        VersionPool pool = _pools.GetOrAdd((version.Function, version.Version), _ => new VersionPool(ct => StartAsync(version, ct)));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(version.Spec.Timeout);
        var (instance, cold, error) = await pool.AcquireAsync(deadline.Token).ConfigureAwait(false);
        if (instance is null)
        {
            return new InvocationResult(new InvokeOutcome(default, error), "", false, 0, 0);
        }

        try
        {
            InstanceConnection connection = instance.Connection!;
            ulong id = connection.NextId();
            uint timeoutMs = (uint)Math.Min(uint.MaxValue, version.Spec.Timeout.TotalMilliseconds);
            using WireWriter frame = request switch
            {
                InferRequest infer => WireCodec.EncodeInvoke(id, infer, timeoutMs),
                RawRequest raw => WireCodec.EncodeInvoke(id, raw, timeoutMs),
                _ => throw new ArgumentException($"cannot send a {request.GetType().Name}", nameof(request)),
            };
            long started = _time.GetTimestamp();
            InvokeOutcome outcome = await connection.InvokeAsync(id, frame.Complete(), deadline.Token).ConfigureAwait(false);
            double durationMs = _time.GetElapsedTime(started).TotalMilliseconds;
            if (outcome.Error is { Kind: ErrorKind.Timeout } && !cancellationToken.IsCancellationRequested)
            {
                outcome = InvokeOutcome.Fail(ErrorKind.Timeout, $"{version.Function} v{version.Version} did not answer within its timeout of {version.Spec.Timeout.TotalSeconds:0.###} s");
            }

            return new InvocationResult(outcome, instance.Id, cold, durationMs, instance.Process?.ResidentMemoryMb() ?? 0);
        }
        finally
        {
            instance.Release();
        }
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
                stops.AddRange(pool.TakeAll().Select(i => _supervisor.StopAsync(i, "the function was removed")));
            }
        }

        await Task.WhenAll(stops).ConfigureAwait(false);
        _packages.Remove(function);
    }

    private Task<Instance> StartAsync(DeployedVersion version, CancellationToken cancellationToken)
    {
        string packageDir = _packages.Materialize(version.Function, version.Version, version.Record.Files);
        string id = $"{version.Function}-v{version.Version}-{Guid.NewGuid():N}"[..(version.Function.Length + version.Version.ToString().Length + 10)];
        return _supervisor.StartAsync(_configs.Create(version.Spec, version.Version, id, packageDir), cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _supervisor.DisposeAsync();
}
