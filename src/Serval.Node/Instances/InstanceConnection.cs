using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Sockets;
using Serval.Core.Wire;

namespace Serval.Node.Instances;

/// <summary>The answer to one invocation: a result body, or an error as a value.</summary>
/// <param name="Body">The Result frame's body (decode with <see cref="WireCodec.DecodeResult"/>), or empty on error.</param>
/// <param name="Error">The error, or null on success.</param>
/// <param name="Buffer">The pooled array <paramref name="Body"/> lives in; give it back with <see cref="Release"/>.</param>
public readonly record struct InvokeOutcome(ReadOnlyMemory<byte> Body, InvokeError? Error, byte[]? Buffer = null)
{
    /// <summary>True when the invocation never reached the instance (its connection was already broken): safe to send elsewhere.</summary>
    public bool NotSent { get; init; }

    /// <summary>A failed outcome.</summary>
    public static InvokeOutcome Fail(ErrorKind kind, string message) => new(default, new InvokeError(kind, message));

    /// <summary>
    /// Returns the body's pooled array. Call once, after the last read of the body or of tensors
    /// decoded from it (they share its memory).
    /// </summary>
    public void Release()
    {
        if (Buffer is { Length: > 0 })
        {
            ArrayPool<byte>.Shared.Return(Buffer);
        }
    }
}

/// <summary>
/// The platform's end of one instance's Unix socket: many invocations in flight at once, matched to
/// their answers by id. When the connection breaks, every pending invocation ends with
/// <see cref="ErrorKind.InstanceFailed"/> — only those, never another instance's.
/// </summary>
public sealed class InstanceConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<ulong, TaskCompletionSource<InvokeOutcome>> _pending = new();
    private readonly Task _readLoop;
    private long _nextId;
    private volatile string? _closedReason;

    private readonly Func<string, Task<string>>? _explain;

    private InstanceConnection(Socket socket, Func<string, Task<string>>? explain, TimeProvider? time)
    {
        _time = time ?? TimeProvider.System;
        _socket = socket;
        _explain = explain;
        // Room for a whole 1 MB answer in the kernel (rec's output), so the instance writes it in one go.
        socket.SendBufferSize = 4 << 20;
        socket.ReceiveBufferSize = 4 << 20;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _readLoop = Task.Run(ReadLoopAsync);
    }

    private volatile bool _broken;

    /// <summary>True as soon as the connection is seen to break, before its reason is known.</summary>
    public bool IsBroken => _broken;

    /// <summary>Set once the connection is broken, with why.</summary>
    public string? ClosedReason => _closedReason;

    /// <summary>Invocations sent and not yet answered.</summary>
    public int Pending => _pending.Count;

    /// <summary>Completes when the connection has closed (the instance gone, or <see cref="Close"/>).</summary>
    public Task Completion => _readLoop;

    /// <summary>
    /// Connects to an instance listening on <paramref name="socketPath"/>. When the connection breaks,
    /// <paramref name="explain"/> turns the socket's reason into the caller's (e.g. the exit code of the
    /// process, which is only known a moment after the socket closes).
    /// </summary>
    public static async Task<InstanceConnection> ConnectAsync(string socketPath, CancellationToken cancellationToken, Func<string, Task<string>>? explain = null, TimeProvider? time = null)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
            return new InstanceConnection(socket, explain, time);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Wraps a connection already open to an instance: the one that carried a pooled process's
    /// assignment, on which the instance serves once it is ready. <paramref name="explain"/> as in
    /// <see cref="ConnectAsync"/>.
    /// </summary>
    public static InstanceConnection Adopt(Socket socket, Func<string, Task<string>>? explain = null, TimeProvider? time = null) => new(socket, explain, time);

    /// <summary>Takes the next invocation id on this connection.</summary>
    public ulong NextId() => (ulong)Interlocked.Increment(ref _nextId);

    /// <summary>
    /// Sends an Invoke frame built by <see cref="WireCodec"/> for <paramref name="id"/> and waits for its
    /// answer. Cancellation sends a Cancel frame and ends with <see cref="ErrorKind.Timeout"/>.
    /// </summary>
    public async Task<InvokeOutcome> InvokeAsync(ulong id, ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource<InvokeOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = completion;
        if (_broken || _closedReason is not null)
        {
            _pending.TryRemove(id, out _);
            return InvokeOutcome.Fail(ErrorKind.InstanceFailed, _closedReason ?? "the instance's connection is broken") with { NotSent = true };
        }

        try
        {
            await WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            _pending.TryRemove(id, out _);
            // A socket that cannot be written to takes no further frame: later invocations go elsewhere
            // (the pool skips a broken connection) instead of failing here one after another.
            _broken = true;
            string reason = _closedReason ?? $"the instance's socket failed: {e.Message}";
            if (_closedReason is null && _explain is not null)
            {
                reason = await _explain(reason).ConfigureAwait(false);
            }

            // A frame cut short cannot have run: the caller may send it elsewhere.
            return InvokeOutcome.Fail(ErrorKind.InstanceFailed, reason) with { NotSent = true };
        }
        catch (OperationCanceledException)
        {
            _pending.TryRemove(id, out _);
            return InvokeOutcome.Fail(ErrorKind.Timeout, "the invocation was cancelled before it was sent");
        }

        using (cancellationToken.UnsafeRegister(static (state, token) =>
        {
            var (connection, invocation) = ((InstanceConnection, ulong))state!;
            connection.Abandon(invocation);
        }, (this, id)))
        {
            return await completion.Task.ConfigureAwait(false);
        }
    }

    private readonly ConcurrentDictionary<ulong, DateTimeOffset> _abandoned = new();

    /// <summary>When the oldest invocation that was cancelled and never answered was cancelled, or null.</summary>
    public DateTimeOffset? OldestUnansweredCancel
    {
        get
        {
            DateTimeOffset? oldest = null;
            foreach (var (_, at) in _abandoned)
            {
                if (oldest is null || at < oldest)
                {
                    oldest = at;
                }
            }

            return oldest;
        }
    }

    private readonly TimeProvider _time;

    private void Abandon(ulong id)
    {
        if (_pending.TryRemove(id, out var completion))
        {
            _abandoned[id] = _time.GetUtcNow();
            completion.TrySetResult(InvokeOutcome.Fail(ErrorKind.Timeout, "the invocation ran past its deadline"));
            _ = SendCancelAsync(id);
        }
    }

    private async Task SendCancelAsync(ulong id)
    {
        using var writer = new WireWriter(FrameKind.Cancel, id, 0);
        try
        {
            await WriteAsync(writer.Complete(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The connection is gone: nothing left to cancel.
        }
    }

    private async Task WriteAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(frame, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        byte[] header = new byte[Frame.HeaderSize];
        string reason = "the instance closed its connection";
        try
        {
            while (true)
            {
                if (!await ReadExactlyAsync(header).ConfigureAwait(false))
                {
                    break;
                }

                var (kind, id, length) = Frame.ReadHeader(header);
                // Pooled: the caller releases it once the answer (and tensors decoded from it) is written out.
                byte[] buffer = length == 0 ? [] : ArrayPool<byte>.Shared.Rent(length);
                var outcome = new InvokeOutcome(buffer.AsMemory(0, length), null, buffer);
                if (length > 0 && !await ReadExactlyAsync(buffer.AsMemory(0, length)).ConfigureAwait(false))
                {
                    outcome.Release();
                    reason = "the instance closed its connection mid-answer";
                    break;
                }

                if (kind != FrameKind.Result)
                {
                    InvokeOutcome error = kind == FrameKind.Error
                        ? new InvokeOutcome(default, WireCodec.DecodeError(buffer.AsMemory(0, length)))
                        : InvokeOutcome.Fail(ErrorKind.InstanceFailed, $"the instance sent an unexpected {kind} frame");
                    outcome.Release();
                    outcome = error;
                }

                _abandoned.TryRemove(id, out _);
                if (!_pending.TryRemove(id, out var completion) || !completion.TrySetResult(outcome))
                {
                    outcome.Release(); // answered after it was abandoned
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidDataException)
        {
            reason = $"the instance's connection broke: {e.Message}";
        }

        _broken = true;
        if (_explain is not null && _closedReason is null)
        {
            reason = await _explain(reason).ConfigureAwait(false);
        }

        Close(reason);
    }

    /// <summary>Marks the connection broken and fails every pending invocation with <paramref name="reason"/>.</summary>
    public void Close(string reason)
    {
        _broken = true;
        _closedReason ??= reason;
        foreach (ulong id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var completion))
            {
                completion.TrySetResult(InvokeOutcome.Fail(ErrorKind.InstanceFailed, _closedReason));
            }
        }

        _socket.Dispose();
    }

    private async ValueTask<bool> ReadExactlyAsync(Memory<byte> buffer)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await _stream.ReadAsync(buffer[read..]).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Close("the connection was closed by the platform");
        await _readLoop.ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _writeLock.Dispose();
    }
}
