using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Serval.Core.Wire;
using Serval.Instance.Hosting;
using Serval.Instance.Logging;

namespace Serval.Instance.Pooling;

/// <summary>
/// A pooled instance process (<c>--pool --socket PATH</c>): a generic process that has paid for the
/// .NET start, ONNX Runtime's load and environment and the JIT (<see cref="Rehearsal"/>) before any
/// function needs it. It listens on PATH, prints <c>SERVAL-POOLED</c>, and waits for one Assign frame
/// (see <see cref="Frame"/>); then it is an ordinary instance of the assigned function, served on
/// PATH and on the connection the assignment came on. Stops like any instance (SIGTERM, SIGINT, end
/// of stdin) while it waits.
/// </summary>
internal sealed class PoolStandby(string socketPath, TextWriter stdout, TimeProvider time)
{
    /// <summary>
    /// The largest Assign body read. A config is a few hundred bytes (a dotnet function's model list
    /// a little more); 1 MiB leaves room and keeps a stray client from making the process allocate.
    /// </summary>
    public const int MaxAssignmentBytes = 1 << 20;

    private readonly ILogger _logger = new StderrLogger("instance pool", time, StderrLogger.MinimumFromEnvironment());

    /// <summary>Waits, then runs the assigned function until told to stop; the process's exit code.</summary>
    public async Task<int> RunAsync(ShutdownSignal shutdown)
    {
        long start = time.GetTimestamp();
        await Rehearsal.RunAsync(socketPath + ".rehearsal", _logger).ConfigureAwait(false);
        Socket listener;
        try
        {
            listener = SocketServer.Bind(socketPath);
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
        {
            Fail($"cannot listen on '{socketPath}': {e.Message}");
            return 1;
        }

        stdout.WriteLine(ReadyReport.PooledLine);
        stdout.Flush();
        Log.Pooled(_logger, socketPath, Math.Round(time.GetElapsedTime(start).TotalMilliseconds));

        using var waiting = new CancellationTokenSource();
        Task<(InstanceConfig? Config, Socket? Connection, string? Problem)> receiving = ReceiveAsync(listener, waiting.Token);
        if (await Task.WhenAny(receiving, shutdown.Requested).ConfigureAwait(false) != receiving)
        {
            waiting.Cancel();
            Log.Stopping(_logger, await shutdown.Requested.ConfigureAwait(false), 0);
            Close(listener, null);
            return 0;
        }

        var (received, connection, problem) = await receiving.ConfigureAwait(false);
        long receivedAt = time.GetTimestamp();
        if (received is null || connection is null)
        {
            Fail($"the assignment is not an instance config: {problem}");
            Close(listener, connection);
            return 1;
        }

        InstanceConfig config = received with { SocketPath = socketPath };
        Log.Assigned(_logger, config.Function, config.Version, config.InstanceId);
        try
        {
            // A freshly started instance runs in its package folder; a handler may read files relative to it.
            Directory.SetCurrentDirectory(config.PackageDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // The load below reports a missing package with a better message.
        }

        int code = await new InstanceHost(config, stdout, time).RunAsync(shutdown, new Assignment(config, listener, connection, receivedAt)).ConfigureAwait(false);
        if (code != 0)
        {
            Close(listener, connection);
        }

        return code;
    }

    /// <summary>Accepts connections until one brings an Assign frame; a connection that brings anything else is closed.</summary>
    private async Task<(InstanceConfig?, Socket?, string?)> ReceiveAsync(Socket listener, CancellationToken cancellationToken)
    {
        byte[] header = new byte[Frame.HeaderSize];
        while (true)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return (null, null, "the pool socket closed");
            }

            string? refused;
            try
            {
                await Sockets.ReceiveExactlyAsync(socket, header, cancellationToken).ConfigureAwait(false);
                var (kind, _, length) = Frame.ReadHeader(header);
                if (kind == FrameKind.Assign && length <= MaxAssignmentBytes)
                {
                    byte[] body = new byte[length];
                    await Sockets.ReceiveExactlyAsync(socket, body, cancellationToken).ConfigureAwait(false);
                    try
                    {
                        return (WireCodec.DecodeAssign(body), socket, null);
                    }
                    catch (Exception e) when (e is JsonException or InvalidDataException)
                    {
                        return (null, socket, e.Message);
                    }
                }

                refused = kind == FrameKind.Assign ? $"an Assign frame of {length} bytes is too large" : $"the first frame must be Assign, not {kind}";
            }
            catch (Exception e) when (e is IOException or SocketException or InvalidDataException or EndOfStreamException)
            {
                refused = e.Message;
            }
            catch (OperationCanceledException)
            {
                socket.Dispose();
                return (null, null, "stopped while waiting");
            }

            Log.ProtocolError(_logger, 0, refused);
            socket.Dispose();
        }
    }

    private void Close(Socket listener, Socket? connection)
    {
        connection?.Dispose();
        listener.Dispose();
        try
        {
            File.Delete(socketPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next process on this path, which replaces it.
        }
    }

    private void Fail(string message)
    {
        stdout.WriteLine(ReadyReport.FailedPrefix + message.ReplaceLineEndings(" "));
        stdout.Flush();
    }
}
