using Microsoft.Extensions.Logging;
using Serval.Core.Wire;
using Serval.Instance.Logging;
using Serval.Instance.Runtimes;

namespace Serval.Instance.Hosting;

/// <summary>
/// Runs invocations on the runtime, at most <c>Concurrency</c> at once (the rest wait for a slot,
/// still under their deadline), and counts what is running so a stop can drain.
/// </summary>
internal sealed class Invoker(IRuntime runtime, int concurrency, ILogger logger, int hungGraceMs = 0)
{
    /// <summary>How long a cancelled invocation may keep running before the instance gives up on itself (0: never).</summary>
    public int HungGraceMs => hungGraceMs;

    private readonly SemaphoreSlim _slots = new(concurrency, concurrency);
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private volatile bool _stopping;

    /// <summary>Invocations admitted and still running (a cancelled one counts until its run really returns).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Counts a new invocation in; false once the instance is stopping.</summary>
    public bool TryAdmit()
    {
        if (_stopping)
        {
            return false;
        }

        Interlocked.Increment(ref _inFlight);
        if (_stopping)
        {
            Leave();
            return false;
        }

        return true;
    }

    /// <summary>Counts an admitted invocation out.</summary>
    public void Leave()
    {
        if (Interlocked.Decrement(ref _inFlight) == 0 && _stopping)
        {
            _idle.TrySetResult();
        }
    }

    /// <summary>Stops admitting: invocations that arrive from now on are answered <see cref="ErrorKind.Unavailable"/>.</summary>
    public void StopAdmitting() => _stopping = true;

    /// <summary>Stops admitting and waits up to <paramref name="timeout"/> for the in-flight count to reach zero.</summary>
    public async Task<bool> DrainAsync(TimeSpan timeout, TimeProvider time)
    {
        StopAdmitting();
        if (InFlight == 0)
        {
            return true;
        }

        try
        {
            await _idle.Task.WaitAsync(timeout, time).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>Runs one admitted invocation to its answer, then counts it out.</summary>
    public async Task RunAsync(Invocation invocation)
    {
        bool holdsSlot = false;
        try
        {
            await _slots.WaitAsync(invocation.Token).ConfigureAwait(false);
            holdsSlot = true;
            WireWriter answer = await runtime.InvokeAsync(invocation.Id, invocation.Operation, invocation.Request, invocation.Token).ConfigureAwait(false);
            await invocation.AnswerAsync(answer).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (invocation.Token.IsCancellationRequested)
        {
            // Usually answered already by the cancellation itself; this covers the race where the
            // run noticed the token before the cancellation's callback ran.
            await invocation.AnswerCancelled().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Runtimes answer the failures they expect; anything else is a bug, still answered.
            Log.InvocationFailed(logger, invocation.Id, e);
            await invocation.AnswerAsync(WireCodec.EncodeError(invocation.Id, new InvokeError(ErrorKind.FunctionError, $"{e.GetType().FullName}: {e.Message}"))).ConfigureAwait(false);
        }
        finally
        {
            if (holdsSlot)
            {
                _slots.Release();
            }

            invocation.Connection.Complete(invocation);
            Leave();
        }
    }
}
