using Serval.Core.Wire;
using Serval.Node.Processes;

namespace Serval.TestSupport.Instances;

/// <summary>A scripted <see cref="IProcessLauncher"/>: every start makes a <see cref="FakeProcess"/> and runs <see cref="Script"/> on it.</summary>
public sealed class FakeLauncher : IProcessLauncher
{
    private readonly Lock _gate = new();
    private readonly List<FakeProcess> _started = [];
    private int _nextPid = 1000;

    /// <summary>What a started process does at once; by default it prints <c>SERVAL-POOLED</c>.</summary>
    public Action<FakeProcess> Script { get; set; } = Pooled;

    /// <summary>The processes started so far, in order.</summary>
    public IReadOnlyList<FakeProcess> Started
    {
        get
        {
            lock (_gate)
            {
                return [.. _started];
            }
        }
    }

    /// <summary>A pooled process that is ready at once.</summary>
    public static void Pooled(FakeProcess process) => process.Request.OnStdoutLine(ReadyReport.PooledLine);

    /// <summary>A process that prints nothing and waits.</summary>
    public static void Silent(FakeProcess process)
    {
    }

    public IRunningProcess Start(ProcessStartRequest request)
    {
        FakeProcess process;
        lock (_gate)
        {
            process = new FakeProcess(_nextPid++, request);
            _started.Add(process);
        }

        Script(process);
        return process;
    }
}

/// <summary>A process that exits when the test says (or when stopped).</summary>
public sealed class FakeProcess(int pid, ProcessStartRequest request) : IRunningProcess
{
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _terminated;
    private int _killed;

    public ProcessStartRequest Request { get; } = request;

    public int Pid { get; } = pid;

    public Task<int> Exited => _exited.Task;

    /// <summary>Whether SIGTERM makes it exit (code 0, as an instance does).</summary>
    public bool ExitsOnTerminate { get; set; } = true;

    public int Terminated => Volatile.Read(ref _terminated);

    public int Killed => Volatile.Read(ref _killed);

    public bool Disposed { get; private set; }

    public void Exit(int code) => _exited.TrySetResult(code);

    public void Terminate()
    {
        Interlocked.Increment(ref _terminated);
        if (ExitsOnTerminate)
        {
            Exit(0);
        }
    }

    public void Kill()
    {
        Interlocked.Increment(ref _killed);
        Exit(137);
    }

    public double ResidentMemoryMb() => 0;

    public void Dispose() => Disposed = true;
}
