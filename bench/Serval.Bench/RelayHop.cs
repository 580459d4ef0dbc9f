using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Serval.Core.Specs;
using Serval.Core.Tensors;
using Serval.Core.Wire;
using Serval.Node;
using Serval.Node.Capacity;
using Serval.Node.Instances;
using Serval.Node.Processes;
using Serval.Node.Relay;

namespace Serval.Bench;

/// <summary>
/// The hop a cluster adds to a sync call: one rec instance process reached through the node's TCP
/// relay (what a gateway on another machine uses) against its own Unix socket (the all-in-one path),
/// in alternating rounds of sequential calls. Both paths carry the same frames; the ratio of p50s is
/// the relay's cost. The HTTP part of the call is the same on both paths and is not in it.
/// </summary>
public static class RelayHop
{
    public static async Task RunAsync(int rounds, int perRound)
    {
        string root = Path.Combine(Path.GetTempPath(), $"serval-bench-relay-{Guid.NewGuid():N}"[..30]);
        var options = new NodeOptions { RunDirectory = Path.Combine(root, "run"), SocketDirectory = Path.Combine(root, "s") };
        await using var supervisor = new InstanceSupervisor(new OsProcessLauncher(TimeProvider.System), options, new NodeCapacity(2, 8192), TimeProvider.System, NullLogger<InstanceSupervisor>.Instance);
        string package = Directory.CreateDirectory(Path.Combine(root, "package")).FullName;
        File.Copy(Repo.Rec, Path.Combine(package, "rec.onnx"));
        Instance instance = await supervisor.StartAsync(
            new InstanceConfig
            {
                Function = "rec",
                Version = 1,
                InstanceId = "rec-v1-bench",
                Runtime = RuntimeKind.Onnx,
                PackageDirectory = package,
                SocketPath = Path.Combine(options.SocketDirectory, "rec.sock"),
                Model = "rec.onnx",
                IntraOpThreads = 1,
            },
            CancellationToken.None);
        await using var relay = new InstanceRelay(new IPEndPoint(IPAddress.Loopback, 0), id => id == instance.Id ? instance.Config.SocketPath : null, NullLogger.Instance);
        await using InstanceConnection remote = await RelayClient.ConnectAsync("127.0.0.1", relay.Endpoint.Port, instance.Id, CancellationToken.None);
        InstanceConnection local = instance.Connection!;
        NamedTensor input = Input([1, 3, 48, 320]);

        var direct = new List<double>();
        var relayed = new List<double>();
        for (int i = 0; i < 20; i++)
        {
            await CallAsync(local, input);
            await CallAsync(remote, input);
        }

        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < perRound; i++)
            {
                direct.Add(await CallAsync(local, input));
                relayed.Add(await CallAsync(remote, input));
            }
        }

        double ratio = Stats.Percentile(relayed, 50) / Stats.Percentile(direct, 50);
        Console.WriteLine($"relay hop, rec [1,3,48,320], one instance, sequential calls alternating per call:");
        Console.WriteLine($"  unix socket (all-in-one): {Stats.Describe(direct)}");
        Console.WriteLine($"  tcp relay (cluster):      {Stats.Describe(relayed)}");
        Console.WriteLine($"  p50 ratio relay/direct: {ratio:0.000} (goal <= 1.15)");
        Directory.Delete(root, recursive: true);
    }

    private static async Task<double> CallAsync(InstanceConnection connection, NamedTensor input)
    {
        long start = Stopwatch.GetTimestamp();
        ulong id = connection.NextId();
        using WireWriter frame = WireCodec.EncodeInvoke(id, new InferRequest([input], []), 0);
        InvokeOutcome outcome = await connection.InvokeAsync(id, frame.Complete(), CancellationToken.None);
        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        if (outcome.Error is { } error)
        {
            throw new InvalidOperationException($"rec failed: {error.Message}");
        }

        outcome.Release();
        return ms;
    }

    private static NamedTensor Input(long[] shape)
    {
        var random = new Random(7);
        float[] values = new float[Tensor.ElementCountOf(shape)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return new NamedTensor("x", Tensor.From<float>(values, shape));
    }
}
