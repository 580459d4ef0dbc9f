using Serval.Core.Wire;
using Serval.Node.Processes;

namespace Serval.Node.Instances;

/// <summary>
/// The platform's view of one instance process: its state with a reason and a generation (bumped on
/// every change, so a reader can tell a stale snapshot), its connection and what it is doing.
/// </summary>
public sealed class Instance
{
    private readonly object _gate = new();
    private int _inFlight;

    internal Instance(InstanceConfig config, DateTimeOffset created)
    {
        Config = config;
        Created = created;
    }

    /// <summary>The config it was started with.</summary>
    public InstanceConfig Config { get; }

    /// <summary>The instance id.</summary>
    public string Id => Config.InstanceId;

    /// <summary>When it was asked for.</summary>
    public DateTimeOffset Created { get; }

    /// <summary>When it became ready, or null.</summary>
    public DateTimeOffset? ReadyAt { get; private set; }

    /// <summary>Milliseconds from being asked for to ready: the cold start.</summary>
    public double ColdStartMs { get; private set; }

    /// <summary>The instance's own report of its model and load timings.</summary>
    public ReadyReport? Report { get; internal set; }

    /// <summary>The state.</summary>
    public InstanceState State { get; private set; } = InstanceState.Starting;

    /// <summary>Why it is in its state.</summary>
    public string Reason { get; private set; } = "starting";

    /// <summary>Bumped on every state change.</summary>
    public int Generation { get; private set; }

    /// <summary>The OS process, once started.</summary>
    public IRunningProcess? Process { get; internal set; }

    /// <summary>The node it runs on when placed by an <see cref="IInstancePlacer"/>; null on this machine.</summary>
    public PlacedInstance? Placed { get; internal set; }

    /// <summary>The socket connection, once ready.</summary>
    public InstanceConnection? Connection { get; internal set; }

    /// <summary>Invocations sent and not yet answered.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Completes when the instance leaves service for good (Stopped or Failed).</summary>
    public Task Ended => _ended.Task;

    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Why the supervisor killed it, when it did (reported instead of the bare exit code).</summary>
    internal string? KillReason { get; set; }

    /// <summary>True while it holds a reservation of node capacity.</summary>
    internal bool Reserved { get; set; }

    /// <summary>The node's GPU devices this instance holds (its <c>CUDA_VISIBLE_DEVICES</c>); empty on the CPU.</summary>
    public IReadOnlyList<int> GpuDevices { get; internal init; } = [];

    /// <summary>Counts an invocation in; pair with <see cref="Release"/>.</summary>
    public void Acquire() => Interlocked.Increment(ref _inFlight);

    /// <summary>Counts an invocation out.</summary>
    public void Release() => Interlocked.Decrement(ref _inFlight);

    /// <summary>Moves to <paramref name="state"/> unless the instance has already ended; false when it had.</summary>
    internal bool TryMove(InstanceState state, string reason, DateTimeOffset now)
    {
        lock (_gate)
        {
            if (State is InstanceState.Stopped or InstanceState.Failed)
            {
                return false;
            }

            State = state;
            Reason = reason;
            Generation++;
            if (state == InstanceState.Ready)
            {
                ReadyAt = now;
                ColdStartMs = (now - Created).TotalMilliseconds;
            }
        }

        if (state is InstanceState.Stopped or InstanceState.Failed)
        {
            _ended.TrySetResult();
        }

        return true;
    }
}
