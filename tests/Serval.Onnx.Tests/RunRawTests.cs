using Serval.Core.Tensors;
using Serval.TestSupport.Onnx;

namespace Serval.Onnx.Tests;

public sealed class RunRawTests(RecSession rec, ModelDirectory models) : IClassFixture<RecSession>, IClassFixture<ModelDirectory>
{
    [Fact]
    public void RunRaw_Rec_ZeroCopyOutputsEqualRunsCopies()
    {
        var input = new NamedTensor[] { new("x", RecSession.Input(2, 96, seed: 3)) };

        NamedTensor copied = Assert.Single(rec.Session.Run(input));
        using SessionOutputs raw = rec.Session.RunRaw(input);

        Assert.Equal(1, raw.Count);
        Assert.Equal(copied.Name, raw.Name(0));
        Assert.Equal(TensorElementType.Float, raw.ElementType(0));
        Assert.Equal([2L, 12, 6625], raw.Shape(0));
        Assert.Equal(copied.Tensor.Shape, raw.Shape(0));
        Assert.True(raw.Data(0).SequenceEqual(copied.Tensor.Data.Span));
        Assert.Equal(copied.Tensor.Data.ToArray(), raw.ToTensor(0).Data.ToArray());
    }

    [Fact]
    public void RunRaw_StringOutput_ReadsStringsAndRefusesBytes()
    {
        using var session = models.Open(OnnxModels.Identity(TensorElementType.String, "N"));

        using SessionOutputs raw = session.RunRaw([new NamedTensor("x", Tensor.FromStrings(["ab", "", "ç"], [3]))]);

        Assert.Equal(TensorElementType.String, raw.ElementType(0));
        Assert.Equal(["ab", "", "ç"], raw.Strings(0));
        var e = Assert.Throws<InvalidOperationException>(() => raw.Data(0).Length);
        Assert.Contains("Strings()", e.Message);
    }

    [Fact]
    public void Run_TokenCancelledBefore_ThrowsOperationCanceledAndSessionStillRuns()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var input = new NamedTensor[] { new("x", RecSession.Input(1, 16, seed: 4)) };

        var e = Assert.ThrowsAny<OperationCanceledException>(() => rec.Session.Run(input, cts.Token));
        Assert.Equal(cts.Token, e.CancellationToken);
        Assert.ThrowsAny<OperationCanceledException>(() => rec.Session.RunRaw(input, cts.Token).Dispose());

        // The termination flag belongs to that run's options, not to the session.
        Assert.Equal([1L, 2, 6625], rec.Session.Run(input, CancellationToken.None)[0].Tensor.Shape);
    }

    [Fact]
    public void Run_TokenCancelledWhileRunning_ThrowsOperationCanceledBeforeTheRunEnds()
    {
        // 200 MatMuls of 512×512 take ~650 ms on one core here; the token fires after 50 ms and ORT
        // stops at the next node boundary. Without termination the run would simply succeed.
        using var session = models.Open(OnnxModels.MatMulChain(512, 200));
        var input = new NamedTensor[] { new("x", Tensor.From<float>(new float[512 * 512], [512, 512])) };
        using var cts = new CancellationTokenSource();
        // A dedicated thread, not a timer: a busy thread pool must not delay the cancellation itself.
        var canceller = new Thread(() =>
        {
            Thread.Sleep(50);
            cts.Cancel();
        });
        canceller.Start();

        var e = Assert.ThrowsAny<OperationCanceledException>(() => session.Run(input, cts.Token));

        canceller.Join();
        Assert.Equal(cts.Token, e.CancellationToken);
    }

    [Fact]
    public void Run_CancellableTokenNeverCancelled_RunsNormally()
    {
        using var cts = new CancellationTokenSource();
        using var session = models.Open(OnnxModels.Add(TensorElementType.Int32, "N"));

        NamedTensor[] output = session.Run(
            [new NamedTensor("a", Tensor.From<int>([1, 2], [2])), new NamedTensor("b", Tensor.From<int>([10, 20], [2]))], cts.Token);

        Assert.Equal([11, 22], output[0].Tensor.AsSpan<int>().ToArray());
    }
}
