using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Serval.Core.Wire;
using Serval.Instance.Logging;

namespace Serval.Instance.Hosting;

/// <summary>
/// One connection from the platform: reads frames in a loop and hands each Invoke to the
/// <see cref="Invoker"/> on the thread pool, so many run at once and are answered by id in any
/// order. Writes are serialised by one lock, each frame written whole.
/// </summary>
internal sealed class Connection : IDisposable
{
    private static int s_count;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly Invoker _invoker;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<ulong, Invocation> _invocations = new();

    public Connection(Socket socket, Invoker invoker, TimeProvider time, ILogger logger)
    {
        _socket = socket;
        // Room for a whole 1 MB answer (rec's [1,40,6625] FP32) in the kernel: one write, no waiting for the reader.
        socket.SendBufferSize = 4 << 20;
        socket.ReceiveBufferSize = 4 << 20;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _invoker = invoker;
        _time = time;
        _logger = logger;
        Number = Interlocked.Increment(ref s_count);
    }

    /// <summary>This connection's number, for the log.</summary>
    public int Number { get; }

    /// <summary>Reads frames until the peer closes the connection or it breaks; then cancels what is left of this connection's invocations.</summary>
    public async Task RunAsync()
    {
        byte[] header = new byte[Frame.HeaderSize];
        try
        {
            while (true)
            {
                int read = await _stream.ReadAtLeastAsync(header, Frame.HeaderSize, throwOnEndOfStream: false).ConfigureAwait(false);
                if (read < Frame.HeaderSize)
                {
                    if (read > 0)
                    {
                        Log.ProtocolError(_logger, Number, $"the stream ended inside a frame header ({read} of {Frame.HeaderSize} bytes)");
                    }

                    break;
                }

                var (kind, id, length) = Frame.ReadHeader(header);
                // Pooled: an invocation's tensors point into its body until the invocation is disposed.
                byte[] body = length == 0 ? [] : ArrayPool<byte>.Shared.Rent(length);
                await _stream.ReadExactlyAsync(body.AsMemory(0, length)).ConfigureAwait(false);
                if (kind == FrameKind.Invoke)
                {
                    OnInvoke(id, body, length);
                }
                else if (kind == FrameKind.Cancel)
                {
                    if (_invocations.TryGetValue(id, out Invocation? invocation))
                    {
                        invocation.Stop(StopReason.Caller);
                    }
                }
                else
                {
                    Log.ProtocolError(_logger, Number, $"a {kind} frame cannot come from the platform");
                    break;
                }
            }
        }
        catch (InvalidDataException e)
        {
            Log.ProtocolError(_logger, Number, e.Message);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The connection broke or was closed by Close(): the same as end of stream.
        }
        finally
        {
            StopAll(StopReason.ConnectionClosed);
        }
    }

    /// <summary>Writes one whole frame, then returns its buffer. A broken connection drops it silently: its reader ends and cleans up.</summary>
    public async Task SendAsync(WireWriter frame)
    {
        try
        {
            await _writeLock.WaitAsync().ConfigureAwait(false);
            try
            {
                if (frame.HasExternal)
                {
                    var segments = new List<ReadOnlyMemory<byte>>(4);
                    frame.CompleteInto(segments);
                    foreach (ReadOnlyMemory<byte> segment in segments)
                    {
                        await _stream.WriteAsync(segment).ConfigureAwait(false);
                    }
                }
                else
                {
                    await _stream.WriteAsync(frame.Complete()).ConfigureAwait(false);
                }
            }
            finally
            {
                _writeLock.Release();
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // Nobody is left to read the answer.
        }
        finally
        {
            frame.Dispose();
        }
    }

    /// <summary>Forgets an answered invocation.</summary>
    public void Complete(Invocation invocation)
    {
        _invocations.TryRemove(new KeyValuePair<ulong, Invocation>(invocation.Id, invocation));
        invocation.Dispose();
    }

    /// <summary>Cancels every invocation of this connection still in flight.</summary>
    public void StopAll(StopReason reason)
    {
        foreach (Invocation invocation in _invocations.Values)
        {
            invocation.Stop(reason);
        }
    }

    /// <summary>Closes the socket; the read loop ends.</summary>
    public void Dispose()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed by the peer.
        }

        _stream.Dispose();
    }

    private static void Return(byte[] body)
    {
        if (body.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(body);
        }
    }

    private void OnInvoke(ulong id, byte[] body, int length)
    {
        InvokeOperation operation;
        uint timeoutMs;
        InvokeRequest request;
        try
        {
            (operation, timeoutMs, request) = WireCodec.DecodeInvoke(body.AsMemory(0, length));
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or OverflowException)
        {
            Return(body);
            _ = SendAsync(WireCodec.EncodeError(id, new InvokeError(ErrorKind.BadInput, $"malformed invocation: {e.Message}")));
            return;
        }

        if (!_invoker.TryAdmit())
        {
            Return(body);
            _ = SendAsync(WireCodec.EncodeError(id, new InvokeError(ErrorKind.Unavailable, "the instance is stopping")));
            return;
        }

        var invocation = new Invocation(this, _invoker, id, operation, request, timeoutMs, _time, body, _invoker.HungGraceMs);
        if (!_invocations.TryAdd(id, invocation))
        {
            invocation.Dispose();
            _invoker.Leave();
            _ = SendAsync(WireCodec.EncodeError(id, new InvokeError(ErrorKind.BadInput, $"invocation {id} is already in flight on this connection")));
            return;
        }

        // Off the read loop: an ONNX run blocks its thread for the whole run.
        ThreadPool.UnsafeQueueUserWorkItem(invocation, preferLocal: false);
    }
}
