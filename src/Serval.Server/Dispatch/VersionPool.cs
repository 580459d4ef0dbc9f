using Serval.Core.Wire;
using Serval.Node.Instances;

namespace Serval.Server.Dispatch;

/// <summary>
/// The instances of one version and how a request gets one. The policy here is the simplest honest
/// one: the first request starts an instance (a real cold start) and every request after it uses the
/// least-loaded ready instance; concurrent first requests share one start; an instance that ends is
/// dropped and the next request starts another.
/// </summary>
public sealed class VersionPool(Func<CancellationToken, Task<Instance>> start)
{
    private readonly object _gate = new();
    private readonly List<Instance> _ready = [];
    private Task<Instance>? _starting;

    /// <summary>The ready instances.</summary>
    public IReadOnlyList<Instance> Ready
    {
        get
        {
            lock (_gate)
            {
                return [.. _ready];
            }
        }
    }

    /// <summary>A ready instance, starting one if none is; false with the reason when none can start.</summary>
    public async ValueTask<(Instance? Instance, bool Cold, InvokeError? Error)> AcquireAsync(CancellationToken cancellationToken)
    {
        Task<Instance> starting;
        lock (_gate)
        {
            Instance? best = null;
            foreach (Instance instance in _ready)
            {
                if (instance.State == InstanceState.Ready && (best is null || instance.InFlight < best.InFlight))
                {
                    best = instance;
                }
            }

            if (best is not null)
            {
                best.Acquire();
                return (best, false, null);
            }

            // The start is not tied to this request: if it gives up, the instance still comes up for the next.
            _starting ??= StartAsync();
            starting = _starting;
        }

        try
        {
            Instance instance = await starting.WaitAsync(cancellationToken).ConfigureAwait(false);
            instance.Acquire();
            return (instance, true, null);
        }
        catch (InstanceStartException e)
        {
            return (null, false, new InvokeError(ErrorKind.Unavailable, e.Message));
        }
        catch (OperationCanceledException)
        {
            return (null, false, new InvokeError(ErrorKind.Timeout, "no instance became ready before the deadline"));
        }
    }

    /// <summary>Forgets an instance that ended.</summary>
    public void Remove(Instance instance)
    {
        lock (_gate)
        {
            _ready.Remove(instance);
        }
    }

    /// <summary>Takes every instance out (to stop them).</summary>
    public IReadOnlyList<Instance> TakeAll()
    {
        lock (_gate)
        {
            var all = _ready.ToList();
            _ready.Clear();
            return all;
        }
    }

    private async Task<Instance> StartAsync()
    {
        try
        {
            Instance instance = await start(CancellationToken.None).ConfigureAwait(false);
            lock (_gate)
            {
                if (instance.State == InstanceState.Ready)
                {
                    _ready.Add(instance);
                }
            }

            return instance;
        }
        finally
        {
            lock (_gate)
            {
                _starting = null;
            }
        }
    }
}
