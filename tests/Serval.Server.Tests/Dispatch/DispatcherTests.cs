using Serval.Core.Wire;
using Serval.Node.Instances;
using Serval.Server.Dispatch;
using Serval.TestSupport;
using Serval.TestSupport.Instances;
using static Serval.Server.Tests.Dispatch.DispatchHarness;

namespace Serval.Server.Tests.Dispatch;

/// <summary>The dispatcher over scripted instances on a fake clock: queueing, retries, deaths and deadlines.</summary>
public class DispatcherTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private const string Echo = "name: echo\nruntime: dotnet\nhandler: Fake.Echo\ntimeout: 5s\n";

    [Fact]
    public async Task InvokeAsync_EverySlotBusy_WaitsInTheQueueForTheSameInstanceAndRefusesPastTheLimit()
    {
        await using var harness = new DispatchHarness(new DispatchOptions { QueueLimit = 1 });
        var version = await harness.DeployAsync(Echo + "instances: { concurrency: 1 }\n");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Instances.Behaviour = async call =>
        {
            if (call.Body == "first")
            {
                await gate.Task;
            }

            await call.AnswerAsync(call.Body.ToUpperInvariant());
        };
        VersionPool pool = harness.Dispatcher.Pool(version);

        Task<InvocationResult> first = harness.InvokeAsync(version, "first");
        await Eventually.TrueAsync(() => harness.Instances.All.Sum(i => i.Received) == 1, "the first request reached the instance started for it");
        Task<InvocationResult> second = harness.InvokeAsync(version, "second");
        await Eventually.TrueAsync(() => pool.Peek().Queued == 1, "the second request waits for a slot");
        InvocationResult refused = await harness.InvokeAsync(version, "third").WaitAsync(Bound);

        Assert.Equal(ErrorKind.Overloaded, refused.Outcome.Error?.Kind);
        Assert.Equal((1, 0), (pool.Peek().Ready, pool.Peek().Starting)); // the queue asks for no second instance
        gate.SetResult();
        InvocationResult a = await first.WaitAsync(Bound);
        InvocationResult b = await second.WaitAsync(Bound);
        Assert.Equal("FIRST", Text(a));
        Assert.Equal("SECOND", Text(b));
        Assert.Equal(a.InstanceId, b.InstanceId);
        Assert.Single(harness.Instances.All);
    }

    [Fact]
    public async Task InvokeAsync_ConnectionThatCannotBeWritten_SendsTheRequestToAnotherInstance()
    {
        await using var harness = new DispatchHarness();
        var version = await harness.DeployAsync(Echo);
        VersionPool pool = harness.Dispatcher.Pool(version);
        pool.ScaleTo(2, 0, "two for the test");
        await Eventually.TrueAsync(() => pool.Instances.Count == 2, "two instances ready");
        Instance broken = pool.Instances[0]; // the one the slot choice takes first: both idle, the earlier wins
        Instance healthy = pool.Instances[1];
        await harness.Instances[broken.Id].StopReadingAsync();

        Task<InvocationResult> call = harness.InvokeAsync(version, "hello");
        // It was tried first, and the write that failed marked its connection broken; the failure's
        // reason then waits up to 2 s for the process's exit code, which never comes.
        await Eventually.TrueAsync(() => broken.Connection!.IsBroken, "the failed write marked the connection broken");
        harness.Time.Advance(TimeSpan.FromSeconds(2));
        InvocationResult result = await call.WaitAsync(Bound);

        Assert.Equal("hello", Text(result));
        Assert.Equal(healthy.Id, result.InstanceId);
        Assert.Equal(0, harness.Instances[broken.Id].Received);
    }

    [Fact]
    public async Task InvokeAsync_InstanceDiesMidCall_FailsOnlyTheRequestItHeld()
    {
        await using var harness = new DispatchHarness();
        var version = await harness.DeployAsync(Echo + "instances: { concurrency: 1 }\n");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Instances.Behaviour = async call =>
        {
            await gate.Task;
            await call.AnswerAsync(call.Body);
        };
        VersionPool pool = harness.Dispatcher.Pool(version);
        pool.ScaleTo(2, 0, "two for the test");
        await Eventually.TrueAsync(() => pool.Instances.Count == 2, "two instances ready");

        Task<InvocationResult> doomed = harness.InvokeAsync(version, "doomed");
        Task<InvocationResult> survivor = harness.InvokeAsync(version, "survivor");
        await Eventually.TrueAsync(() => harness.Instances.All.Count(i => i.Received == 1) == 2, "each instance holds one request");
        FakeInstance dying = harness.Instances.All.Single(i => i.Calls[0].Body == "doomed");
        dying.Die(137);

        InvocationResult failed = await doomed.WaitAsync(Bound);
        Assert.Equal(ErrorKind.InstanceFailed, failed.Outcome.Error?.Kind);
        Assert.Contains("137", failed.Outcome.Error!.Message);
        await Eventually.TrueAsync(() => pool.Instances.Count == 1, "the pool let the dead instance go");
        Assert.False(survivor.IsCompleted);
        gate.SetResult();
        InvocationResult answered = await survivor.WaitAsync(Bound);
        Assert.Equal("survivor", Text(answered));
        Assert.NotEqual(dying.Id, answered.InstanceId);
    }

    [Fact]
    public async Task InvokeAsync_InstanceSilentPastTheTimeout_TimesOutAndCancelsItThere()
    {
        await using var harness = new DispatchHarness();
        var version = await harness.DeployAsync(Echo);
        harness.Instances.Behaviour = _ => Task.CompletedTask; // never answers

        Task<InvocationResult> call = harness.InvokeAsync(version, "slow");
        await Eventually.TrueAsync(() => harness.Instances.All.Sum(i => i.Received) == 1, "the request reached an instance");
        harness.Time.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(call.IsCompleted);
        harness.Time.Advance(TimeSpan.FromSeconds(0.1));
        InvocationResult result = await call.WaitAsync(Bound);

        Assert.Equal(ErrorKind.Timeout, result.Outcome.Error?.Kind);
        Assert.Contains("did not answer within its deadline of 5 s", result.Outcome.Error!.Message);
        await Eventually.TrueAsync(() => harness.Instances.All.Single().Cancelled == 1, "the instance was told to cancel");
    }

    [Fact]
    public async Task InvokeAsync_QueuedPastTheCallersDeadline_TimesOutWhileTheBusyOneFinishes()
    {
        await using var harness = new DispatchHarness();
        var version = await harness.DeployAsync(Echo + "instances: { concurrency: 1 }\n");
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Instances.Behaviour = async call =>
        {
            await gate.Task;
            await call.AnswerAsync(call.Body);
        };
        VersionPool pool = harness.Dispatcher.Pool(version);

        Task<InvocationResult> busy = harness.InvokeAsync(version, "busy");
        await Eventually.TrueAsync(() => harness.Instances.All.Sum(i => i.Received) == 1, "the first request reached the instance");
        Task<InvocationResult> late = harness.InvokeAsync(version, "late", TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => pool.Peek().Queued == 1, "the second request waits for a slot");
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        InvocationResult timedOut = await late.WaitAsync(Bound);

        Assert.Equal(ErrorKind.Timeout, timedOut.Outcome.Error?.Kind);
        Assert.Contains("no instance of echo v1 was free within the deadline", timedOut.Outcome.Error!.Message);
        Assert.Contains("the deadline is 1 s", timedOut.Outcome.Error.Message);
        Assert.Equal("", timedOut.InstanceId);
        Assert.Equal(0, pool.Peek().Queued);
        gate.SetResult();
        Assert.Equal("busy", Text(await busy.WaitAsync(Bound)));
        Assert.Equal(1, harness.Instances.All.Single().Received);
    }
}
