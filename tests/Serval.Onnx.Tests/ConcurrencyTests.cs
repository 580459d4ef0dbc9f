using Serval.Core.Tensors;
using Serval.TestSupport.Onnx;

namespace Serval.Onnx.Tests;

public sealed class ConcurrencyTests(RecSession rec, ModelDirectory models) : IClassFixture<RecSession>, IClassFixture<ModelDirectory>
{
    [Fact]
    public async Task Run_RecFromSeveralThreadsAtOnce_GivesTheSameResultsAsOneByOne()
    {
        const int threads = 4;
        const int runsPerThread = 3;
        Tensor[] inputs = Enumerable.Range(0, threads).Select(i => RecSession.Input(1, 64, seed: 100 + i)).ToArray();
        byte[][] expected = inputs.Select(input => rec.Session.Run([new NamedTensor("x", input)])[0].Tensor.Data.ToArray()).ToArray();
        using var start = new Barrier(threads);

        byte[][][] actual = await Task.WhenAll(Enumerable.Range(0, threads).Select(t => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            var results = new byte[runsPerThread][];
            for (int r = 0; r < runsPerThread; r++)
            {
                results[r] = rec.Session.Run([new NamedTensor("x", inputs[t])])[0].Tensor.Data.ToArray();
            }

            return results;
        }, TaskCreationOptions.LongRunning)));

        for (int t = 0; t < threads; t++)
        {
            Assert.All(actual[t], result => Assert.Equal(expected[t], result));
        }
    }

    [Fact]
    public async Task Run_AddFromManyThreads_EachGetsItsOwnSum()
    {
        // Small, fast runs maximise overlap: each thread's pinned inputs must never mix with another's.
        using var session = models.Open(OnnxModels.Add(TensorElementType.Int64, "N"));
        const int threads = 8;
        using var start = new Barrier(threads);

        Task[] workers = Enumerable.Range(0, threads).Select(t => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (long i = 0; i < 300; i++)
            {
                long[] a = [t, i, t * 1000 + i];
                NamedTensor[] output = session.Run(
                    [new NamedTensor("a", Tensor.From<long>(a, [3])), new NamedTensor("b", Tensor.From<long>([1, 1, 1], [3]))]);
                Assert.Equal([t + 1, i + 1, t * 1000 + i + 1], output[0].Tensor.AsSpan<long>().ToArray());
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        await Task.WhenAll(workers);
    }

    [Fact]
    public async Task Run_ManyThreadsManyShapes_HeldOutputsAndCancelledRuns_EveryAnswerIsItsOwn()
    {
        // Eight threads at once over one session, each cycling through shapes of its own (batch and
        // width differ, so ORT re-plans memory per run), half of them holding zero-copy outputs
        // across later runs, one cancelling runs in between: every answer equals the one-by-one run.
        (int Batch, int Width)[] shapes = [(1, 32), (2, 64), (1, 96), (3, 48), (1, 160), (2, 128)];
        const int threads = 8;
        const int rounds = 4;
        var inputs = new Dictionary<(int, int, int), Tensor>();
        var expected = new Dictionary<(int, int, int), byte[]>();
        for (int t = 0; t < threads; t++)
        {
            foreach (var (batch, width) in shapes)
            {
                Tensor input = RecSession.Input(batch, width, seed: t * 31 + width + batch);
                inputs[(t, batch, width)] = input;
                expected[(t, batch, width)] = rec.Session.Run([new NamedTensor("x", input)])[0].Tensor.Data.ToArray();
            }
        }

        using var start = new Barrier(threads + 1);
        Task[] workers = Enumerable.Range(0, threads).Select(t => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            var held = new List<(SessionOutputs Outputs, byte[] Expected)>();
            for (int round = 0; round < rounds; round++)
            {
                for (int k = 0; k < shapes.Length; k++)
                {
                    var (batch, width) = shapes[(k + t) % shapes.Length];
                    NamedTensor[] input = [new NamedTensor("x", inputs[(t, batch, width)])];
                    if (t % 2 == 0)
                    {
                        Assert.Equal(expected[(t, batch, width)], rec.Session.Run(input)[0].Tensor.Data.ToArray());
                    }
                    else
                    {
                        held.Add((rec.Session.RunRaw(input), expected[(t, batch, width)]));
                    }
                }
            }

            foreach (var (outputs, bytes) in held)
            {
                Assert.Equal(bytes, outputs.Data(0).ToArray());
                outputs.Dispose();
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        Task canceller = Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < 10; i++)
            {
                using var cancel = new CancellationTokenSource();
                cancel.Cancel();
                Assert.Throws<OperationCanceledException>(() => rec.Session.Run([new NamedTensor("x", RecSession.Input(1, 640, seed: i))], cancel.Token));
            }
        }, TaskCreationOptions.LongRunning);

        await Task.WhenAll([.. workers, canceller]);
    }
}
