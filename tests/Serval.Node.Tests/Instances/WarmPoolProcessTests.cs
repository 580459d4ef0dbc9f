using Microsoft.Extensions.Logging.Abstractions;
using Serval.Core.Specs;
using Serval.Core.Wire;
using Serval.Node.Capacity;
using Serval.Node.Instances;
using Serval.Node.Processes;
using Serval.TestSupport.Instances;
using Serval.Core.Tensors;
using Serval.Onnx;
using Serval.TestSupport;

namespace Serval.Node.Tests.Instances;

/// <summary>The supervisor with a warm pool of real instance processes (cls: the smallest model).</summary>
public sealed class WarmPoolProcessTests
{
    [Fact]
    public async Task StartAsync_PoolWaiting_AssignsPooledProcessThatServesLikeInProcess()
    {
        string root = Paths.NewTempDir("serval-node");
        var launcher = new RecordingLauncher(new OsProcessLauncher(TimeProvider.System));
        var options = new NodeOptions
        {
            RunDirectory = Path.Combine(root, "run"),
            SocketDirectory = Path.Combine(root, "s"),
            WarmPoolSize = 1,
            WarmPoolRefillDelay = TimeSpan.Zero,
        };
        var supervisor = new InstanceSupervisor(launcher, options, new NodeCapacity(4, 8192), TimeProvider.System, NullLogger<InstanceSupervisor>.Instance);
        try
        {
            WarmPool pool = supervisor.Pool!;
            pool.Fill();
            await Eventually.TrueAsync(() => pool.Waiting == 1, "the pooled process waits", TimeSpan.FromSeconds(30));
            string package = Directory.CreateDirectory(Path.Combine(root, "package")).FullName;
            File.Copy(Paths.ClsModel, Path.Combine(package, "cls.onnx"));
            var config = new InstanceConfig
            {
                Function = "cls",
                Version = 1,
                InstanceId = "cls-v1-test",
                Runtime = RuntimeKind.Onnx,
                PackageDirectory = package,
                SocketPath = Path.Combine(options.SocketDirectory, "fresh.sock"),
                Model = "cls.onnx",
            };

            Instance instance = await supervisor.StartAsync(config, CancellationToken.None);

            Assert.Equal(InstanceState.Ready, instance.State);
            Assert.True(instance.Report!.Pooled);
            Assert.StartsWith(Path.Combine(options.SocketDirectory, "pool-"), instance.Config.SocketPath);
            Assert.Equal(launcher.Started[0].Pid, instance.Process!.Pid);
            NamedTensor input = Random([1, 3, 48, 192]);
            using var session = new InferenceSession(Paths.ClsModel);
            NamedTensor expected = Assert.Single(session.Run([input]));
            NamedTensor[] actual = await InferAsync(instance, input);
            Assert.True(expected.Tensor.Data.Span.SequenceEqual(Assert.Single(actual).Tensor.Data.Span), "the outputs differ");
            await Eventually.TrueAsync(() => pool.Waiting == 1 && launcher.Started.Count == 2, "the pool refills", TimeSpan.FromSeconds(30));

            await supervisor.DisposeAsync();

            foreach (IRunningProcess process in launcher.Started)
            {
                Assert.True(process.Exited.IsCompleted, $"process {process.Pid} still runs after disposal");
            }
        }
        finally
        {
            await supervisor.DisposeAsync();
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<NamedTensor[]> InferAsync(Instance instance, NamedTensor input)
    {
        InstanceConnection connection = instance.Connection!;
        ulong id = connection.NextId();
        using WireWriter frame = WireCodec.EncodeInvoke(id, new InferRequest([input], []), 0);
        InvokeOutcome outcome = await connection.InvokeAsync(id, frame.Complete(), CancellationToken.None);
        Assert.Null(outcome.Error);
        // Copied out: the decoded tensors point into the outcome's pooled buffer.
        NamedTensor[] tensors = [.. ((NamedTensor[])WireCodec.DecodeResult(outcome.Body)).Select(t => new NamedTensor(t.Name, Tensor.FromBytes(t.Tensor.ElementType, t.Tensor.Shape.ToArray(), t.Tensor.Data.ToArray())))];
        outcome.Release();
        return tensors;
    }

    private static NamedTensor Random(long[] shape)
    {
        var random = new Random(5);
        float[] values = new float[Tensor.ElementCountOf(shape)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return new NamedTensor("x", Tensor.From<float>(values, shape));
    }

    /// <summary>The real launcher, remembering what it started.</summary>
    private sealed class RecordingLauncher(IProcessLauncher inner) : IProcessLauncher
    {
        private readonly List<IRunningProcess> _started = [];

        public IReadOnlyList<IRunningProcess> Started
        {
            get
            {
                lock (_started)
                {
                    return [.. _started];
                }
            }
        }

        public IRunningProcess Start(ProcessStartRequest request)
        {
            IRunningProcess process = inner.Start(request);
            lock (_started)
            {
                _started.Add(process);
            }

            return process;
        }
    }
}
