using System.Collections.Concurrent;
using System.Net.Sockets;
using Serval.Core.Wire;

namespace Serval.Node.Instances;

/// <summary>The answer to one invocation: a result body, or an error as a value.</summary>
/// <param name="Body">The Result frame's body (decode with <see cref="WireCodec.DecodeResult"/>), or empty on error.</param>
/// <param name="Error">The error, or null on success.</param>
public readonly record struct InvokeOutcome(ReadOnlyMemory<byte> Body, InvokeError? Error)
{
    /// <summary>A failed outcome.</summary>
    public static InvokeOutcome Fail(ErrorKind kind, string message) => new(default, new InvokeError(kind, message));
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

    private InstanceConnection(Socket socket, Func<string, Task<string>>? explain)
    {
        _socket = socket;
        _explain = explain;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _readLoop = Task.Run(ReadLoopAsync);
    }

    /// <summary>Set once the connection is broken, with why.</summary>
    public string? ClosedReason => _closedReason;

    /// <summary>Invocations sent and not yet answered.</summary>
    public int Pending => _pending.Count;

    /// <summary>
    /// Connects to an instance listening on <paramref name="socketPath"/>. When the connection breaks,
    /// <paramref name="explain"/> turns the socket's reason into the caller's (e.g. the exit code of the
    /// process, which is only known a moment after the socket closes).
    /// </summary>
    public static async Task<InstanceConnection> ConnectAsync(string socketPath, CancellationToken cancellationToken, Func<string, Task<string>>? explain = null)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
            return new InstanceConnection(socket, explain);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

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
        if (_closedReason is { } reason)
        {
            _pending.TryRemove(id, out _);
            return InvokeOutcome.Fail(ErrorKind.InstanceFailed, reason);
        }

        try
        {
            await WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            _pending.TryRemove(id, out _);
            return InvokeOutcome.Fail(ErrorKind.InstanceFailed, _closedReason ?? $"the instance's socket failed: {e.Message}");
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

    private void Abandon(ulong id)
    {
        if (_pending.TryRemove(id, out var completion))
        {
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
                // One array per answer: the decoded tensors share it, so it cannot be pooled.
                byte[] body = length == 0 ? [] : new byte[length];
                if (length > 0 && !await ReadExactlyAsync(body).ConfigureAwait(false))
                {
                    reason = "the instance closed its connection mid-answer";
                    break;
                }

                if (!_pending.TryRemove(id, out var completion))
                {
                    continue; // answered after it was abandoned
                }

                completion.TrySetResult(kind switch
                {
                    FrameKind.Result => new InvokeOutcome(body, null),
                    FrameKind.Error => new InvokeOutcome(default, WireCodec.DecodeError(body)),
                    _ => InvokeOutcome.Fail(ErrorKind.InstanceFailed, $"the instance sent an unexpected {kind} frame"),
                });
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or InvalidDataException)
        {
            reason = $"the instance's connection broke: {e.Message}";
        }

        if (_explain is not null && _closedReason is null)
        {
            reason = await _explain(reason).ConfigureAwait(false);
        }

        Close(reason);
    }

    /// <summary>Marks the connection broken and fails every pending invocation with <paramref name="reason"/>.</summary>
    public void Close(string reason)
    {
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
