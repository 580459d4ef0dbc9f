using Microsoft.Extensions.Logging.Abstractions;
using Serval.Core.Wire;
using Serval.Node.Instances;
using Serval.TestSupport.Instances;
using Serval.TestSupport;

namespace Serval.Node.Tests.Instances;

/// <summary>The warm pool against a scripted launcher and a manual clock.</summary>
public sealed class WarmPoolTests
{
    private static readonly NodeOptions Options = new()
    {
        RunDirectory = "/nonexistent/run",
        SocketDirectory = "/nonexistent/sockets",
        WarmPoolSize = 2,
        WarmPoolRefillDelay = TimeSpan.FromSeconds(1),
        StartTimeout = TimeSpan.FromSeconds(60),
        DrainTimeout = TimeSpan.FromSeconds(10),
    };

    private readonly FakeLauncher _launcher = new();
    private readonly FakeTimeProvider _time = new();

    private WarmPool Pool(NodeOptions? options = null) =>
        new(_launcher, options ?? Options, "/opt/serval/serval-instance.dll", _time, NullLogger.Instance);

    [Fact]
    public async Task Fill_Empty_StartsSizePooledProcessesThatWait()
    {
        await using WarmPool pool = Pool();

        pool.Fill();

        await Eventually.TrueAsync(() => pool.Waiting == 2, "two processes wait");
        Assert.Equal(2, _launcher.Started.Count);
        foreach (FakeProcess process in _launcher.Started)
        {
            IReadOnlyList<string> arguments = process.Request.Arguments;
            Assert.Equal(["/opt/serval/serval-instance.dll", "--pool", "--socket"], arguments.Take(3));
            Assert.StartsWith("/nonexistent/sockets/pool-", arguments[3]);
            Assert.Equal("--exit-on-stdin-eof", arguments[4]);
            Assert.Equal("/nonexistent/run", process.Request.WorkingDirectory);
        }

        Assert.NotEqual(_launcher.Started[0].Request.Arguments[3], _launcher.Started[1].Request.Arguments[3]);
    }

    [Fact]
    public async Task Fill_Twice_StartsNoMoreThanSize()
    {
        await using WarmPool pool = Pool();

        pool.Fill();
        pool.Fill();

        await Eventually.TrueAsync(() => pool.Waiting == 2, "two processes wait");
        Assert.Equal(2, _launcher.Started.Count);
    }

    [Fact]
    public async Task TryTake_ProcessWaiting_ReturnsItAndRefillsAfterTheDelay()
    {
        await using WarmPool pool = Pool();
        pool.Fill();
        await Eventually.TrueAsync(() => pool.Waiting == 2, "two processes wait");

        PooledProcess? taken = pool.TryTake();

        Assert.NotNull(taken);
        Assert.Contains(taken.SocketPath, _launcher.Started.Select(p => p.Request.Arguments[3]));
        Assert.Equal(1, pool.Count);
        _time.Advance(Options.WarmPoolRefillDelay - TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);
        Assert.Equal(2, _launcher.Started.Count);

        _time.Advance(TimeSpan.FromMilliseconds(1));

        await Eventually.TrueAsync(() => pool.Waiting == 2, "the pool is full again");
        Assert.Equal(3, _launcher.Started.Count);
    }

    [Fact]
    public async Task TryTake_NoneWaitingYet_ReturnsNullAndStartsFilling()
    {
        _launcher.Script = FakeLauncher.Silent;
        await using WarmPool pool = Pool();

        Assert.Null(pool.TryTake());

        await Eventually.TrueAsync(() => _launcher.Started.Count == 2, "the pool starts filling");
        Assert.Equal(0, pool.Waiting);
        Assert.Null(pool.TryTake());
    }

    [Fact]
    public async Task TryTake_TwiceWithTwoWaiting_GivesDifferentProcesses()
    {
        await using WarmPool pool = Pool();
        pool.Fill();
        await Eventually.TrueAsync(() => pool.Waiting == 2, "two processes wait");

        PooledProcess? first = pool.TryTake();
        PooledProcess? second = pool.TryTake();

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.NotSame(first, second);
        Assert.Null(pool.TryTake());
    }

    [Fact]
    public async Task WaitingProcessDies_ReplacedAtOnce()
    {
        await using WarmPool pool = Pool();
        pool.Fill();
        await Eventually.TrueAsync(() => pool.Waiting == 2, "two processes wait");

        _launcher.Started[0].Exit(137);

        await Eventually.TrueAsync(() => _launcher.Started.Count == 3 && pool.Waiting == 2, "the dead process is replaced");
        Assert.True(_launcher.Started[0].Disposed);
    }

    [Fact]
    public async Task TakenProcessDies_NotReplacedByThePool()
    {
        await using WarmPool pool = Pool(Options with { WarmPoolSize = 1 });
        pool.Fill();
        await Eventually.TrueAsync(() => pool.Waiting == 1, "one process waits");
        PooledProcess taken = pool.TryTake()!;

        ((FakeProcess)taken.Process!).Exit(1);
        await Task.Delay(50);

        Assert.Single(_launcher.Started);
        Assert.False(((FakeProcess)taken.Process!).Disposed);
    }

    [Fact]
    public async Task ProcessExitsBeforePooled_RetriedAfterGrowingDelay()
    {
        int starts = 0;
        _launcher.Script = process =>
        {
            if (Interlocked.Increment(ref starts) <= 2)
            {
                process.Exit(1);
            }
            else
            {
                FakeLauncher.Pooled(process);
            }
        };
        await using WarmPool pool = Pool(Options with { WarmPoolSize = 1 });

        pool.Fill();
        await Eventually.TrueAsync(() => pool.Count == 0, "the failed process leaves the pool");
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Single(_launcher.Started);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.TrueAsync(() => _launcher.Started.Count == 2 && pool.Count == 0, "retried after 1 s, failed again");
        _time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.Equal(2, _launcher.Started.Count);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        await Eventually.TrueAsync(() => pool.Waiting == 1, "the third start, 2 s later, waits");
        Assert.Equal(3, _launcher.Started.Count);
    }

    [Fact]
    public async Task ProcessReportsFailure_CountsAsFailedStart()
    {
        _launcher.Script = process => process.Request.OnStdoutLine(ReadyReport.FailedPrefix + "cannot listen on '/x': denied");
        await using WarmPool pool = Pool(Options with { WarmPoolSize = 1 });

        pool.Fill();

        await Eventually.TrueAsync(() => pool.Count == 0, "the failed process leaves the pool");
        Assert.Equal(0, pool.Waiting);
        Assert.Equal(1, _launcher.Started[0].Killed);
    }

    [Fact]
    public async Task ProcessSilentPastStartTimeout_KilledAndRetried()
    {
        _launcher.Script = FakeLauncher.Silent;
        await using WarmPool pool = Pool(Options with { WarmPoolSize = 1 });
        pool.Fill(); // arms the start timeout before it returns

        _time.Advance(Options.StartTimeout);

        await Eventually.TrueAsync(() => _launcher.Started[0].Killed == 1 && pool.Count == 0, "the silent process is killed");
        _time.Advance(WarmPool.RetryDelay(1));
        await Eventually.TrueAsync(() => _launcher.Started.Count == 2, "another is started after the back-off");
    }

    [Fact]
    public async Task DisposeAsync_ProcessesWaiting_TerminatesThemAndStartsNoMore()
    {
        WarmPool pool = Pool();
        pool.Fill();
        await Eventually.TrueAsync(() => pool.Waiting == 2, "two processes wait");
        PooledProcess taken = pool.TryTake()!;

        await pool.DisposeAsync();
        _time.Advance(TimeSpan.FromMinutes(1));
        pool.Fill();

        FakeProcess[] stopped = _launcher.Started.Where(p => p.Request.Arguments[3] != taken.SocketPath).ToArray();
        FakeProcess single = Assert.Single(stopped);
        Assert.Equal(1, single.Terminated);
        Assert.True(single.Disposed);
        Assert.Equal(0, ((FakeProcess)taken.Process!).Terminated); // it is an instance now: its supervisor stops it
        Assert.Equal(2, _launcher.Started.Count);
        Assert.Equal(0, pool.Count);
    }

    [Fact]
    public async Task DisposeAsync_ProcessIgnoresTerminate_KilledAfterDrainTimeout()
    {
        _launcher.Script = process =>
        {
            process.ExitsOnTerminate = false;
            FakeLauncher.Pooled(process);
        };
        WarmPool pool = Pool(Options with { WarmPoolSize = 1 });
        pool.Fill();
        await Eventually.TrueAsync(() => pool.Waiting == 1, "one process waits");

        Task disposing = pool.DisposeAsync().AsTask(); // sends SIGTERM and arms the drain timeout before it returns
        Assert.Equal(1, _launcher.Started[0].Terminated);
        await Task.Delay(50);
        Assert.False(disposing.IsCompleted);
        _time.Advance(Options.DrainTimeout);
        await disposing.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(1, _launcher.Started[0].Killed);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(6, 32)]
    [InlineData(7, 60)]
    [InlineData(1000, 60)]
    public void RetryDelay_ConsecutiveFailures_DoublesFromOneSecondUpToOneMinute(int failures, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), WarmPool.RetryDelay(failures));
    }
}
