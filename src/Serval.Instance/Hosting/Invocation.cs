using Serval.Core.Wire;

namespace Serval.Instance.Hosting;

/// <summary>Why an invocation's token was cancelled, which decides the error it is answered with.</summary>
internal enum StopReason
{
    /// <summary>Not stopped by anyone: the deadline passed.</summary>
    Deadline,
    /// <summary>A Cancel frame: the platform gave up on it.</summary>
    Caller,
    /// <summary>The instance is stopping and the drain period is over.</summary>
    Shutdown,
    /// <summary>The connection it came on closed; nobody is left to answer.</summary>
    ConnectionClosed,
}

/// <summary>
/// One invocation in flight: its decoded request, its cancellation (deadline, Cancel frame,
/// shutdown) and the connection its answer goes to. It is answered exactly once, by whichever
/// comes first: the runtime's result, or the cancellation — at the moment of cancelling, so a
/// handler that ignores its token is still answered on time (it keeps its concurrency slot until
/// it really returns). Queued to the thread pool as is: a request costs this object and its token source.
/// </summary>
internal sealed class Invocation : IThreadPoolWorkItem, IDisposable
{
    private readonly CancellationTokenSource _cancellation;
    private readonly Invoker _invoker;
    private int _reason = -1;
    private int _answered;

    private byte[]? _body;
    private readonly TimeProvider _time;
    private readonly int _hungGraceMs;
    private ITimer? _watchdog;
    private int _disposed;

    public Invocation(Connection connection, Invoker invoker, ulong id, InvokeOperation operation, InvokeRequest request, uint timeoutMs, TimeProvider time, byte[] body, int hungGraceMs = 0)
    {
        _body = body;
        _time = time;
        _hungGraceMs = hungGraceMs;
        Connection = connection;
        _invoker = invoker;
        Id = id;
        Operation = operation;
        Request = request;
        TimeoutMs = timeoutMs;
        // The deadline counts from arrival, so time spent waiting for a concurrency slot is included.
        _cancellation = timeoutMs == 0 ? new CancellationTokenSource() : new CancellationTokenSource(TimeSpan.FromMilliseconds(timeoutMs), time);
        _cancellation.Token.UnsafeRegister(static state => ((Invocation)state!).AnswerCancelled(), this);
    }

    public Connection Connection { get; }

    public ulong Id { get; }

    public InvokeOperation Operation { get; }

    public InvokeRequest Request { get; }

    public uint TimeoutMs { get; }

    public CancellationToken Token => _cancellation.Token;

    /// <summary>Cancels the invocation; the first reason given is the one reported.</summary>
    public void Stop(StopReason reason)
    {
        Interlocked.CompareExchange(ref _reason, (int)reason, -1);
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // It finished in the meantime.
        }
    }

    /// <summary>The answer for an invocation whose token was cancelled.</summary>
    public InvokeError CancelledError() => (StopReason)Volatile.Read(ref _reason) switch
    {
        StopReason.Caller => new(ErrorKind.Timeout, $"invocation {Id} was cancelled by the platform"),
        StopReason.Shutdown => new(ErrorKind.Unavailable, "the instance stopped before the invocation finished"),
        StopReason.ConnectionClosed => new(ErrorKind.InstanceFailed, "the connection closed before the invocation finished"),
        _ => new(ErrorKind.Timeout, $"the invocation ran past its timeout of {TimeoutMs} ms"),
    };

    /// <summary>Sends <paramref name="answer"/> unless the invocation was answered already (then only returns its buffer).</summary>
    public Task AnswerAsync(WireWriter answer)
    {
        if (Interlocked.Exchange(ref _answered, 1) != 0)
        {
            answer.Dispose();
            return Task.CompletedTask;
        }

        return Connection.SendAsync(answer);
    }

    /// <summary>
    /// Answers with the cancellation's error, if nothing answered first, and starts the hung-invocation
    /// watchdog: a run that goes on past the grace period holds a slot forever, so the instance exits
    /// (code <see cref="HungExitCode"/>) and the platform replaces it.
    /// </summary>
    public Task AnswerCancelled()
    {
        if (_hungGraceMs > 0 && Volatile.Read(ref _watchdog) is null && Volatile.Read(ref _body) is not null)
        {
            ITimer timer = _time.CreateTimer(static state => ((Invocation)state!).Hung(), this, TimeSpan.FromMilliseconds(_hungGraceMs), Timeout.InfiniteTimeSpan);
            if (Interlocked.CompareExchange(ref _watchdog, timer, null) is not null)
            {
                timer.Dispose();
            }
        }

        return AnswerAsync(WireCodec.EncodeError(Id, CancelledError()));
    }

    /// <summary>The exit code of an instance that gave up on a hung invocation.</summary>
    public const int HungExitCode = 3;

    private void Hung()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        Console.Error.WriteLine($"invocation {Id} is still running {_hungGraceMs} ms after it was cancelled; exiting so the platform replaces this instance");
        Console.Error.Flush();
        Environment.Exit(HungExitCode);
    }

    void IThreadPoolWorkItem.Execute() => _ = _invoker.RunAsync(this);

    /// <summary>Releases the token source and returns the pooled frame body the request's tensors point into.</summary>
    public void Dispose()
    {
        Volatile.Write(ref _disposed, 1);
        Interlocked.Exchange(ref _watchdog, null)?.Dispose();
        _cancellation.Dispose();
        if (Interlocked.Exchange(ref _body, null) is { Length: > 0 } body)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(body);
        }
    }
}
