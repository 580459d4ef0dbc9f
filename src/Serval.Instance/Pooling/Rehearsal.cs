using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Serval.Core.Specs;
using Serval.Core.Wire;
using Serval.Instance.Hosting;
using Serval.Instance.Logging;
using Serval.Instance.Runtimes;
using Serval.Core.Tensors;
using Serval.Onnx;

namespace Serval.Instance.Pooling;

/// <summary>
/// What a pooled process does before it waits: it loads ONNX Runtime and creates its environment,
/// then runs a tiny model through the code an assigned instance runs — the Assign frame's config,
/// the host's load, warm-up and ready line, and one invocation served over a real Unix socket by the
/// same socket server, connection and invoker — so that the JIT compiles those methods and ORT builds
/// its one-time state (kernel registry, allocators) while nobody is waiting. Measured on det with a
/// cached graph: assignment to ready about 90 → 75 ms, and ORT's environment (30–90 ms) gone from it.
/// </summary>
/// <remarks>
/// The model, <c>rehearsal.onnx</c> beside the dll (147 bytes): y = Conv(x, w), x FP32 [1,1,8,8],
/// w FP32 [1,1,3,3], y [1,1,6,6]; written by <c>OnnxModels.Build</c> in tests/Serval.TestSupport,
/// and a test checks the file is still exactly that.
/// </remarks>
internal static class Rehearsal
{
    /// <summary>The model's file name, beside the instance host's dll.</summary>
    public const string ModelFile = "rehearsal.onnx";

    /// <summary>
    /// Rehearses, serving on a socket at <paramref name="socketPath"/> (removed after); false (with a
    /// warning) when it could not, which only costs the first assignment the time saved.
    /// </summary>
    public static async Task<bool> RunAsync(string socketPath, ILogger logger)
    {
        try
        {
            OrtEnvironment.Initialize();
            if (!File.Exists(Path.Combine(AppContext.BaseDirectory, ModelFile)))
            {
                Log.RehearsalFailed(logger, $"{ModelFile} is not beside the instance host");
                return false;
            }

            var config = new InstanceConfig
            {
                Function = "rehearsal",
                Version = 0,
                InstanceId = "rehearsal",
                Runtime = RuntimeKind.Onnx,
                PackageDirectory = AppContext.BaseDirectory,
                SocketPath = socketPath,
                Model = ModelFile,
                Concurrency = 1,
            };
            using (WireWriter assign = WireCodec.EncodeAssign(config))
            {
                config = WireCodec.DecodeAssign(assign.Complete().Span[Frame.HeaderSize..]);
            }

            // The host's own load, warm-up and ready line, written to nowhere.
            if (new InstanceHost(config, TextWriter.Null, TimeProvider.System).Check() != 0)
            {
                Log.RehearsalFailed(logger, "the rehearsal model did not load");
                return false;
            }

            using IRuntime runtime = RuntimeFactory.Load(config, logger, logger);
            await ServeOneAsync(runtime, socketPath).ConfigureAwait(false);
            return true;
        }
        catch (Exception e)
        {
            // The edge of the process. Whatever broke here (ORT missing, say) breaks the assignment's
            // own load too, which reports it exactly as a freshly started instance would.
            Log.RehearsalFailed(logger, e.Message);
            return false;
        }
    }

    /// <summary>One invocation through the socket server, as the node agent would send it.</summary>
    private static async Task ServeOneAsync(IRuntime runtime, string socketPath)
    {
        var server = new SocketServer(socketPath, new Invoker(runtime, 1, NullLogger.Instance), TimeProvider.System, NullLogger.Instance);
        server.Listen(SocketServer.Bind(socketPath));
        Task accepting = server.AcceptAsync();
        try
        {
            using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await client.ConnectAsync(new UnixDomainSocketEndPoint(socketPath)).ConfigureAwait(false);
            var request = new InferRequest(
                [new NamedTensor("x", Tensor.From<float>(new float[64], [1, 1, 8, 8])), new NamedTensor("w", Tensor.From<float>(new float[9], [1, 1, 3, 3]))],
                []);
            using (WireWriter invoke = WireCodec.EncodeInvoke(1, request, timeoutMs: 0))
            {
                await client.SendAsync(invoke.Complete(), SocketFlags.None).ConfigureAwait(false);
            }

            byte[] header = new byte[Frame.HeaderSize];
            await Sockets.ReceiveExactlyAsync(client, header, CancellationToken.None).ConfigureAwait(false);
            var (kind, _, length) = Frame.ReadHeader(header);
            await Sockets.ReceiveExactlyAsync(client, new byte[length], CancellationToken.None).ConfigureAwait(false);
            if (kind != FrameKind.Result)
            {
                throw new InvalidOperationException($"the rehearsal invocation was answered with a {kind} frame");
            }
        }
        finally
        {
            await server.CloseAsync().ConfigureAwait(false);
            await accepting.ConfigureAwait(false);
        }
    }
}
