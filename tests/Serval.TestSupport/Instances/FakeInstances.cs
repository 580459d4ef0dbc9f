using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using Serval.Core.Wire;

namespace Serval.TestSupport.Instances;

/// <summary>
/// Scripted instance processes that speak the real instance protocol: a <see cref="FakeLauncher"/>
/// whose every start reads the config the supervisor wrote, listens on its socket, prints the ready
/// line and answers each Invoke frame as <see cref="Behaviour"/> says. The supervisor, the connection
/// and the dispatcher above it are the real ones; only the process is not.
/// </summary>
public sealed class FakeInstances
{
    private readonly ConcurrentDictionary<string, FakeInstance> _instances = new();

    /// <summary>Creates the launcher; pass <see cref="Launcher"/> to the supervisor.</summary>
    public FakeInstances()
    {
        Launcher = new FakeLauncher { Script = Launch };
    }

    /// <summary>The launcher the supervisor starts processes through.</summary>
    public FakeLauncher Launcher { get; }

    /// <summary>What every instance does with a call (by default it answers the request's body).</summary>
    public Func<FakeCall, Task> Behaviour { get; set; } = call => call.AnswerAsync(call.Body);

    /// <summary>The instances started so far, by instance id.</summary>
    public FakeInstance this[string instanceId] => _instances[instanceId];

    /// <summary>Every instance started so far.</summary>
    public ICollection<FakeInstance> All => _instances.Values;

    private void Launch(FakeProcess process)
    {
        IReadOnlyList<string> arguments = process.Request.Arguments;
        int at = arguments.ToList().IndexOf("--config");
        InstanceConfig config = InstanceConfig.FromJson(File.ReadAllText(arguments[at + 1]));
        var instance = new FakeInstance(config, process, this);
        _instances[config.InstanceId] = instance;
        instance.Listen();
        process.Request.OnStdoutLine(new ReadyReport().ToLine());
    }
}

/// <summary>One scripted instance process: its socket, the calls it received, and ways to break it.</summary>
public sealed class FakeInstance
{
    private readonly FakeInstances _owner;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly TaskCompletionSource<Socket> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<FakeCall> _calls = new();
    private Socket? _connection;
    private int _received;
    private int _cancelled;

    internal FakeInstance(InstanceConfig config, FakeProcess process, FakeInstances owner)
    {
        Config = config;
        Process = process;
        _owner = owner;
        _ = process.Exited.ContinueWith(_ => CloseSockets(), TaskScheduler.Default);
    }

    /// <summary>The config the supervisor started it with.</summary>
    public InstanceConfig Config { get; }

    /// <summary>The instance id.</summary>
    public string Id => Config.InstanceId;

    /// <summary>Its process.</summary>
    public FakeProcess Process { get; }

    /// <summary>Invoke frames it received.</summary>
    public int Received => Volatile.Read(ref _received);

    /// <summary>Cancel frames it received (the platform gave up on a call).</summary>
    public int Cancelled => Volatile.Read(ref _cancelled);

    /// <summary>The calls it received, in order.</summary>
    public IReadOnlyList<FakeCall> Calls => [.. _calls];

    /// <summary>The process dies at once (SIGKILL's code by default); its connection closes with it.</summary>
    public void Die(int code = 137) => Process.Exit(code);

    /// <summary>
    /// Stops reading its connection while the process lives on: the platform's next write fails, so
    /// the invocation it carried was never sent.
    /// </summary>
    public async Task StopReadingAsync() => (await _connected.Task.ConfigureAwait(false)).Shutdown(SocketShutdown.Receive);

    internal void Listen()
    {
        _listener.Bind(new UnixDomainSocketEndPoint(Config.SocketPath));
        _listener.Listen(4);
        _ = Task.Run(ServeAsync);
    }

    private async Task ServeAsync()
    {
        try
        {
            Socket connection = await _listener.AcceptAsync().ConfigureAwait(false);
            _connection = connection;
            _connected.TrySetResult(connection);
            byte[] header = new byte[Frame.HeaderSize];
            while (await ReadExactlyAsync(connection, header).ConfigureAwait(false))
            {
                var (kind, id, length) = Frame.ReadHeader(header);
                byte[] body = new byte[length];
                if (!await ReadExactlyAsync(connection, body).ConfigureAwait(false))
                {
                    return;
                }

                if (kind == FrameKind.Invoke)
                {
                    var (_, _, request) = WireCodec.DecodeInvoke(body);
                    var call = new FakeCall(this, id, request);
                    _calls.Enqueue(call);
                    Interlocked.Increment(ref _received);
                    _ = RunAsync(call);
                }
                else if (kind == FrameKind.Cancel)
                {
                    Interlocked.Increment(ref _cancelled);
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            // The process died or the platform closed the connection.
        }
    }

    private async Task RunAsync(FakeCall call)
    {
        try
        {
            await _owner.Behaviour(call).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            // Answering a connection that is gone.
        }
    }

    internal async Task SendAsync(WireWriter frame)
    {
        using (frame)
        {
            Socket connection = _connection ?? throw new InvalidOperationException("not connected");
            await _writeLock.WaitAsync().ConfigureAwait(false);
            try
            {
                ReadOnlyMemory<byte> bytes = frame.Complete();
                while (bytes.Length > 0)
                {
                    int sent = await connection.SendAsync(bytes, SocketFlags.None).ConfigureAwait(false);
                    bytes = bytes[sent..];
                }
            }
            finally
            {
                _writeLock.Release();
            }
        }
    }

    private void CloseSockets()
    {
        _connection?.Dispose();
        _listener.Dispose();
    }

    private static async Task<bool> ReadExactlyAsync(Socket socket, Memory<byte> buffer)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = await socket.ReceiveAsync(buffer[read..], SocketFlags.None).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}

/// <summary>One invocation a <see cref="FakeInstance"/> received, answered when the script says.</summary>
public sealed class FakeCall(FakeInstance instance, ulong id, InvokeRequest request)
{
    /// <summary>The instance that received it.</summary>
    public FakeInstance Instance { get; } = instance;

    /// <summary>The invocation id.</summary>
    public ulong Id { get; } = id;

    /// <summary>The request.</summary>
    public InvokeRequest Request { get; } = request;

    /// <summary>The function it was sent to.</summary>
    public string Function => Instance.Config.Function;

    /// <summary>A raw request's body as text ("" for tensors).</summary>
    public string Body => Request is RawRequest raw ? Encoding.UTF8.GetString(raw.Body.Span) : "";

    /// <summary>Answers with a raw response.</summary>
    public Task AnswerAsync(string body, int status = 200, string contentType = "text/plain") =>
        AnswerAsync(Encoding.UTF8.GetBytes(body), contentType, status);

    /// <summary>Answers with a raw response of bytes.</summary>
    public Task AnswerAsync(byte[] body, string contentType, int status = 200) =>
        Instance.SendAsync(WireCodec.EncodeRawResult(Id, new RawResponse(status, contentType, body)));

    /// <summary>Answers with an Error frame.</summary>
    public Task FailAsync(ErrorKind kind, string message) =>
        Instance.SendAsync(WireCodec.EncodeError(Id, new InvokeError(kind, message)));
}
