using Serval.Core.Autoscaling;
using Serval.Core.Dispatching;
using Serval.Core.Wire;
using Serval.Node.Instances;
using Serval.Server.Functions;

namespace Serval.Server.Dispatch;

/// <summary>
/// The instances of one version and the requests waiting for them. A request takes a free slot on
/// a ready instance (provisioned instances first, then the least loaded), else waits in a bounded
/// FIFO queue — it never fails because an instance is still starting. With no instance at all, the
/// first waiting request starts one at once (scale from zero does not wait for the autoscaler's
/// tick). How many instances there should be is the autoscaler's call (<see cref="ScaleTo"/>); the
/// pool starts and drains instances to match and replaces those that die.
/// </summary>
/// <remarks>
/// The pool holds the state and its lock; the decisions are pure policies in Core it calls under
/// the lock: <see cref="SlotChoice"/> (which instance takes a request), <see cref="StartBackoff"/>
/// (when a start may follow failed ones) and <see cref="Retirement"/> (which idle instances go).
/// </remarks>
public sealed class VersionPool
{
    private readonly object _gate = new();
    private readonly List<Member> _members = [];
    private readonly LinkedList<Waiter> _queue = new();
    private readonly Func<DeployedVersion, CancellationToken, Task<Instance>> _start;
    private readonly Func<Instance, string, Task> _stop;
    private readonly DispatchOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrencyWindow _window;
    private int _level;
    private int _starting;
    private int _minimum;
    private StartBackoff _backoff;
    private InstanceView[] _views = new InstanceView[4];
    private InvokeError? _startError;
    private DateTimeOffset? _lastRequest;
    private bool _closed;
    private int _reserved;
    private DateTimeOffset _reservedUntil;
    private DateTimeOffset? _retireAt;

    /// <summary>Creates an empty pool.</summary>
    public VersionPool(DeployedVersion version, Func<DeployedVersion, CancellationToken, Task<Instance>> start, Func<Instance, string, Task> stop, DispatchOptions options, TimeProvider time, TimeSpan window)
    {
        _window = new ConcurrencyWindow(window);
        Version = version;
        _start = start;
        _stop = stop;
        _options = options;
        _time = time;
    }

    /// <summary>The version served.</summary>
    public DeployedVersion Version { get; }

    private int Concurrency => Version.Spec.Instances.Concurrency;

    /// <summary>The ready instances.</summary>
    public IReadOnlyList<Instance> Instances
    {
        get
        {
            lock (_gate)
            {
                return _members.Select(m => m.Instance).ToList();
            }
        }
    }

    /// <summary>A slot, or a refusal: 429 when the queue is full, 503 while starts are failing, 504 at the deadline.</summary>
    public ValueTask<Lease> AcquireAsync(CancellationToken deadline)
    {
        Waiter waiter;
        lock (_gate)
        {
            DateTimeOffset now = _time.GetUtcNow();
            _lastRequest = now;
            if (_closed)
            {
                return new(Lease.Fail(ErrorKind.Unavailable, $"{Name} is being removed"));
            }

            if (TakeSlot() is { } member)
            {
                Level(1);
                return new(new Lease(member.Instance, false, 0, null, member.Provisioned));
            }

            if (_members.Count == 0 && _starting == 0 && _startError is { } failing && !_backoff.MayStart(now))
            {
                return new(Lease.Fail(ErrorKind.Unavailable, failing.Message));
            }

            if (_queue.Count >= _options.QueueLimit)
            {
                return new(Lease.Fail(ErrorKind.Overloaded, $"{_queue.Count} requests are already waiting for {Name}; retry later"));
            }

            waiter = new Waiter(now, _time.GetTimestamp());
            waiter.Node = _queue.AddLast(waiter);
            Level(1);
            if (_members.Count + _starting == 0)
            {
                StartLocked();
            }
        }

        return WaitAsync(waiter, deadline);
    }

    /// <summary>Gives back the slot of an invocation that ended on <paramref name="instance"/>.</summary>
    public void Release(Instance instance)
    {
        lock (_gate)
        {
            Level(-1);
            instance.Release(); // also when the instance already left the pool (it died mid-invocation)
            foreach (Member member in _members)
            {
                if (member.Instance == instance)
                {
                    member.LastUsed = _time.GetUtcNow();
                    break;
                }
            }

            DrainQueueLocked();
        }
    }

    /// <summary>The counts now, without touching the window (for listings).</summary>
    public PoolSnapshot Peek()
    {
        lock (_gate)
        {
            return new PoolSnapshot(_members.Count, _starting, InFlightLocked(), _queue.Count, default, _lastRequest);
        }
    }

    private int InFlightLocked()
    {
        int inFlight = 0;
        foreach (Member member in _members)
        {
            inFlight += member.InFlight;
        }

        return inFlight;
    }

    /// <summary>What the autoscaler needs, with the concurrency observed over its windows.</summary>
    public PoolSnapshot Snapshot(AutoscalerOptions autoscaler)
    {
        lock (_gate)
        {
            int inFlight = InFlightLocked();
            DateTimeOffset now = _time.GetUtcNow();
            _window.Record(now, _level); // the level held until now counts
            int idle = Retirement.CountIdle(ViewsLocked(), now, Version.Spec.Instances.Idle);
            return new PoolSnapshot(_members.Count, _starting, inFlight, _queue.Count, _window.Observe(now, autoscaler), _lastRequest) { IdleInstances = idle };
        }
    }

    /// <summary>
    /// Moves toward <paramref name="desired"/> instances: starts the missing ones (unless starts are
    /// backing off after failures), and drains surplus idle ones, on-demand before provisioned,
    /// longest idle first. The first <paramref name="minimum"/> instances are the provisioned ones.
    /// </summary>
    public void ScaleTo(int desired, int minimum, string reason)
    {
        var victims = new List<Instance>();
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _minimum = minimum;
            for (int i = 0; i < _members.Count; i++)
            {
                _members[i].Provisioned = i < minimum;
            }

            int have = _members.Count + _starting;
            // Checked before every start: one that fails at once (no room) backs the next ones off.
            for (int i = have; i < desired && _backoff.MayStart(_time.GetUtcNow()); i++)
            {
                StartLocked();
            }

            int[] retire = Retirement.ForScaleDown(ViewsLocked(), desired);
            var leaving = new Member[retire.Length];
            for (int i = 0; i < retire.Length; i++)
            {
                leaving[i] = _members[retire[i]];
            }

            foreach (Member member in leaving)
            {
                _members.Remove(member);
                victims.Add(member.Instance);
            }
        }

        foreach (Instance victim in victims)
        {
            _ = _stop(victim, $"scaled down: {reason}");
        }
    }

    /// <summary>
    /// Keeps at least <paramref name="count"/> instances until <paramref name="until"/> and starts the
    /// missing ones now (unless starts are backing off): a release readies the version it moves
    /// traffic to before moving it. Cancels a retirement.
    /// </summary>
    public void Reserve(int count, DateTimeOffset until)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _reserved = count;
            _reservedUntil = until;
            _retireAt = null;
            for (int i = _members.Count + _starting; i < count && _backoff.MayStart(_time.GetUtcNow()); i++)
            {
                StartLocked();
            }
        }
    }

    /// <summary>The instances a reservation keeps at <paramref name="now"/> (0 when none holds).</summary>
    public int Reserved(DateTimeOffset now)
    {
        lock (_gate)
        {
            return now < _reservedUntil ? _reserved : 0;
        }
    }

    /// <summary>
    /// Lets every instance go from <paramref name="at"/> on (the scaling loop drains them then): the
    /// version no longer takes traffic through the serving alias, and requests already routed to it
    /// before the switch have until then to arrive.
    /// </summary>
    public void Retire(DateTimeOffset at)
    {
        lock (_gate)
        {
            _retireAt = at;
            _reserved = 0;
        }
    }

    /// <summary>True once a retirement's time has come.</summary>
    public bool Retiring(DateTimeOffset now)
    {
        lock (_gate)
        {
            return _retireAt is { } at && now >= at;
        }
    }

    /// <summary>Why the last start failed, while starts are failing (null after a success or a refusal for room).</summary>
    public string? StartError
    {
        get
        {
            lock (_gate)
            {
                return _startError?.Message;
            }
        }
    }

    /// <summary>True while requests wait for an instance.</summary>
    public bool HasWaiters
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count > 0;
            }
        }
    }

    /// <summary>
    /// The on-demand instance idle longest (none in flight, not one of the provisioned minimum), and
    /// when it was last used; null when there is none. For reclaiming room another version needs.
    /// </summary>
    public (Instance Instance, DateTimeOffset LastUsed)? LongestIdle()
    {
        lock (_gate)
        {
            int index = Retirement.LongestIdle(ViewsLocked());
            return index < 0 ? null : (_members[index].Instance, _members[index].LastUsed);
        }
    }

    /// <summary>Provisioned instances with nothing in flight now: what the bill charges at the idle rates.</summary>
    public int ProvisionedIdle()
    {
        lock (_gate)
        {
            int idle = 0;
            foreach (Member member in _members)
            {
                idle += member.Provisioned && member.InFlight == 0 ? 1 : 0;
            }

            return idle;
        }
    }

    /// <summary>
    /// Takes <paramref name="instance"/> out of the pool for the caller to stop, if it is still an
    /// idle on-demand member; false when it has work again (or already left).
    /// </summary>
    public bool TryRetire(Instance instance)
    {
        lock (_gate)
        {
            int index = _members.FindIndex(m => m.Instance == instance && m.InFlight == 0 && !m.Provisioned);
            if (index < 0)
            {
                return false;
            }

            _members.RemoveAt(index);
            return true;
        }
    }

    /// <summary>Forgets an instance that ended; replaces it at once if requests wait or the minimum needs it.</summary>
    public void OnEnded(Instance instance)
    {
        lock (_gate)
        {
            int removed = _members.RemoveAll(m => m.Instance == instance);
            if (removed > 0 && !_closed && _members.Count + _starting == 0 && (_queue.Count > 0 || _minimum > 0))
            {
                StartLocked();
            }
        }
    }

    /// <summary>Refuses new requests, fails the waiting ones, and hands back every instance to stop.</summary>
    public IReadOnlyList<Instance> Close(string reason)
    {
        lock (_gate)
        {
            _closed = true;
            while (_queue.First is { } first)
            {
                _queue.RemoveFirst();
                Level(-1);
                first.Value.Completion.TrySetResult(Lease.Fail(ErrorKind.Unavailable, $"{Name}: {reason}"));
            }

            var all = _members.Select(m => m.Instance).ToList();
            _members.Clear();
            return all;
        }
    }

    /// <summary>True when the pool holds nothing: no instance, none starting, nobody waiting.</summary>
    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return _members.Count == 0 && _starting == 0 && _queue.Count == 0;
            }
        }
    }

    private string Name => $"{Version.Function} v{Version.Version}";

    // In flight + queued, recorded at every change: the window averages it over time.
    private void Level(int delta)
    {
        _level += delta;
        _window.Record(_time.GetUtcNow(), _level);
    }

    private async ValueTask<Lease> WaitAsync(Waiter waiter, CancellationToken deadline)
    {
        using (deadline.UnsafeRegister(static state =>
        {
            var (pool, w) = ((VersionPool, Waiter))state!;
            pool.Abandon(w);
        }, (this, waiter)))
        {
            return await waiter.Completion.Task.ConfigureAwait(false);
        }
    }

    private void Abandon(Waiter waiter)
    {
        lock (_gate)
        {
            if (waiter.Node?.List is null)
            {
                return; // served (or failed) already
            }

            _queue.Remove(waiter.Node);
            Level(-1);
        }

        double waited = _time.GetElapsedTime(waiter.Timestamp).TotalMilliseconds;
        waiter.Completion.TrySetResult(Lease.Fail(ErrorKind.Timeout, $"no instance of {Name} was free within the deadline (waited {waited:0} ms)", waited));
    }

    private Member? TakeSlot()
    {
        int index = SlotChoice.Choose(ViewsLocked(), Concurrency);
        if (index < 0)
        {
            return null;
        }

        Member member = _members[index];
        member.Instance.Acquire();
        return member;
    }

    // The members as the policies see them, in the members' order, in a buffer reused under the lock
    // (no allocation per request).
    private ReadOnlySpan<InstanceView> ViewsLocked()
    {
        if (_views.Length < _members.Count)
        {
            _views = new InstanceView[Math.Max(_members.Count, _views.Length * 2)];
        }

        for (int i = 0; i < _members.Count; i++)
        {
            Member member = _members[i];
            bool serving = member.Instance.State == InstanceState.Ready && member.Instance.Connection?.IsBroken != true;
            _views[i] = new InstanceView(member.InFlight, member.Provisioned, serving, member.LastUsed);
        }

        return _views.AsSpan(0, _members.Count);
    }

    private void DrainQueueLocked()
    {
        while (_queue.First is { } first && TakeSlot() is { } member)
        {
            _queue.RemoveFirst();
            Waiter waiter = first.Value;
            // Cold: the request waited for an instance that became ready after it arrived.
            bool cold = member.Instance.ReadyAt is { } ready && ready >= waiter.Arrived;
            waiter.Completion.TrySetResult(new Lease(member.Instance, cold, _time.GetElapsedTime(waiter.Timestamp).TotalMilliseconds, null, member.Provisioned));
        }
    }

    private void StartLocked()
    {
        _starting++;
        _ = StartAsync();
    }

    private async Task StartAsync()
    {
        Instance instance;
        try
        {
            instance = await _start(Version, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Any failure to start (not only a refusal) ends the start: the waiters must hear of it.
            bool noRoom = e is InstanceStartException { NoRoom: true };
            lock (_gate)
            {
                _starting--;
                // 1 s, 2 s, 4 s ... up to the cap: a crash loop costs little, a passing fault heals fast.
                _backoff = _backoff.AfterFailure(_time.GetUtcNow(), _options.StartRetry);
                // A start refused for room is retried by the next request (which may reclaim idle
                // instances of others), not refused in advance like a failing package.
                var error = new InvokeError(ErrorKind.Unavailable, $"{Name} could not start an instance: {e.Message}");
                _startError = noRoom ? null : error;
                if (_members.Count == 0 && _starting == 0)
                {
                    while (_queue.First is { } first)
                    {
                        _queue.RemoveFirst();
                        Level(-1);
                        first.Value.Completion.TrySetResult(new Lease(null, false, 0, error));
                    }
                }
            }

            return;
        }

        bool keep;
        lock (_gate)
        {
            _starting--;
            _backoff = _backoff.AfterSuccess();
            _startError = null;
            keep = !_closed && instance.State == InstanceState.Ready;
            if (keep)
            {
                _members.Add(new Member(instance, _time.GetUtcNow()) { Provisioned = _members.Count < _minimum });
                DrainQueueLocked();
            }
        }

        if (!keep)
        {
            await _stop(instance, $"{Name} no longer needs it").ConfigureAwait(false);
        }
    }

    private sealed class Member(Instance instance, DateTimeOffset lastUsed)
    {
        public Instance Instance { get; } = instance;

        // The instance's own count: taken and given back only under the pool's lock, read by the
        // supervisor to know when a draining instance is empty.
        public int InFlight => Instance.InFlight;

        public bool Provisioned { get; set; }

        public DateTimeOffset LastUsed { get; set; } = lastUsed;
    }

    private sealed class Waiter(DateTimeOffset arrived, long timestamp)
    {
        public DateTimeOffset Arrived { get; } = arrived;

        public long Timestamp { get; } = timestamp;

        public TaskCompletionSource<Lease> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }
    }
}
