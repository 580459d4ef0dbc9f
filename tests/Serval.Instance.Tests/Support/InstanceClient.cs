using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using Serval.Core.Wire;
using Serval.Core.Tensors;

namespace Serval.Instance.Tests.Support;

/// <summary>The platform's side of the instance protocol, as small as the tests need: send frames, get replies by id.</summary>
internal sealed class InstanceClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<ulong, TaskCompletionSource<Reply>> _pending = new();
    private readonly Task _reading;
    private long _nextId = 1000;

    private InstanceClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reading = ReadAsync();
    }

    public static async Task<InstanceClient> ConnectAsync(string socketPath)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        return new InstanceClient(socket);
    }

    /// <summary>A client over a connection already open (the one that carried a pooled instance's assignment).</summary>
    public static InstanceClient Adopt(Socket socket) => new(socket);

    public ulong NextId() => (ulong)Interlocked.Increment(ref _nextId);

    public Task<Reply> InferAsync(NamedTensor[] inputs, string[]? outputs = null, uint timeoutMs = 0) =>
        SendAsync(WireCodec.EncodeInvoke(NextId(), new InferRequest(inputs, outputs ?? []), timeoutMs));

    public Task<Reply> RawAsync(string route, string body, uint timeoutMs = 0, params KeyValuePair<string, string>[] headers) =>
        SendAsync(WireCodec.EncodeInvoke(NextId(), new RawRequest(route, "text/plain", headers, Encoding.UTF8.GetBytes(body)), timeoutMs));

    /// <summary>Sends an Invoke frame and returns its reply when it comes.</summary>
    public async Task<Reply> SendAsync(WireWriter frame)
    {
        var reply = new TaskCompletionSource<Reply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[frame.Id] = reply;
        using (frame)
        {
            await WriteAsync(frame.Complete());
        }

        return await reply.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Sends a Cancel frame for <paramref name="id"/>.</summary>
    public async Task CancelAsync(ulong id)
    {
        using var frame = new WireWriter(FrameKind.Cancel, id, 0);
        await WriteAsync(frame.Complete());
    }

    /// <summary>Writes raw bytes, for malformed frames.</summary>
    public async Task WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        await _writeLock.WaitAsync();
        try
        {
            await _stream.WriteAsync(bytes);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Registers interest in a reply for <paramref name="id"/> without sending anything.</summary>
    public Task<Reply> Expect(ulong id)
    {
        var reply = new TaskCompletionSource<Reply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        return reply.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        await _reading;
    }

    private async Task ReadAsync()
    {
        byte[] header = new byte[Frame.HeaderSize];
        try
        {
            while (true)
            {
                await _stream.ReadExactlyAsync(header);
                var (kind, id, length) = Frame.ReadHeader(header);
                byte[] body = new byte[length];
                await _stream.ReadExactlyAsync(body);
                if (_pending.TryRemove(id, out TaskCompletionSource<Reply>? reply))
                {
                    reply.TrySetResult(new Reply(kind, id, body));
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or EndOfStreamException)
        {
            foreach (TaskCompletionSource<Reply> reply in _pending.Values)
            {
                reply.TrySetException(new IOException("the instance closed the connection", e));
            }
        }
    }
}
