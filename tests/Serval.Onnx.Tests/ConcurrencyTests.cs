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
}
