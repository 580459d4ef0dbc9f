using Serval.Core.Wire;
using Serval.Instance.Tests.Support;
using Serval.Core.Tensors;
using Serval.Onnx;
using Serval.TestSupport;

namespace Serval.Instance.Tests.Hosting;

/// <summary>A real rec instance process over its Unix socket.</summary>
public sealed class OnnxInstanceTests(RecInstanceFixture fixture) : IClassFixture<RecInstanceFixture>
{
    private InstanceClient Client => fixture.Client;

    [Fact]
    public void Ready_RecModel_ReportsMetadataAndTimings()
    {
        ReadyReport report = fixture.Instance.Report;
        TensorInfo input = Assert.Single(report.Inputs);
        Assert.Equal(("x", "FP32"), (input.Name, input.Datatype));
        Assert.Equal([-1L, 3, 48, -1], input.Shape);
        TensorInfo output = Assert.Single(report.Outputs);
        Assert.Equal([-1L, -1, 6625], output.Shape);
        Assert.Equal(OrtEnvironment.Version, report.OrtVersion);
        Assert.True(report.LoadMs > 0 && report.WarmupMs > 0 && report.StartMs >= report.LoadMs, report.ToString());
    }

    [Fact]
    public async Task Infer_RecInput_BitIdenticalToInProcessRun()
    {
        NamedTensor input = Inputs.Rec(320);
        using var session = new InferenceSession(Paths.RecModel);
        NamedTensor expected = Assert.Single(session.Run([input]));

        NamedTensor actual = Assert.Single((await Client.InferAsync([input])).Tensors());

        Assert.Equal(expected.Name, actual.Name);
        Assert.Equal([1L, 40, 6625], actual.Tensor.Shape);
        Assert.Equal(TensorElementType.Float, actual.Tensor.ElementType);
        Assert.True(expected.Tensor.Data.Span.SequenceEqual(actual.Tensor.Data.Span), "the outputs differ");
    }

    [Fact]
    public async Task Infer_RequestedOutputByName_ReturnsIt()
    {
        string name = fixture.Instance.Report.Outputs[0].Name;
        NamedTensor output = Assert.Single((await Client.InferAsync([Inputs.Rec(64)], [name])).Tensors());
        Assert.Equal(name, output.Name);
        Assert.Equal([1L, 8, 6625], output.Tensor.Shape);
    }

    [Fact]
    public async Task Infer_UnknownRequestedOutput_BadInputListsOutputs()
    {
        InvokeError error = (await Client.InferAsync([Inputs.Rec(64)], ["logits"])).Error();
        Assert.Equal(ErrorKind.BadInput, error.Kind);
        Assert.Equal("unknown output 'logits'; the model's outputs are 'softmax_11.tmp_0'", error.Message);
    }

    [Fact]
    public async Task Infer_UnknownInputName_BadInputListsInputs()
    {
        InvokeError error = (await Client.InferAsync([Inputs.Rec(64, name: "image")])).Error();
        Assert.Equal(ErrorKind.BadInput, error.Kind);
        Assert.Equal("unknown input 'image'; the model's inputs are 'x'", error.Message);
    }

    [Fact]
    public async Task Infer_NoInputs_BadInputNamesMissingInput()
    {
        InvokeError error = (await Client.InferAsync([])).Error();
        Assert.Equal(ErrorKind.BadInput, error.Kind);
        Assert.StartsWith("missing input 'x' (FP32 [-1,3,48,-1])", error.Message);
    }

    [Fact]
    public async Task Infer_WrongDatatype_BadInputWithExpectedAndReceived()
    {
        var input = new NamedTensor("x", Tensor.From<long>(new long[3 * 48 * 32], [1, 3, 48, 32]));
        InvokeError error = (await Client.InferAsync([input])).Error();
        Assert.Equal(new InvokeError(ErrorKind.BadInput, "input 'x': expected FP32, got INT64"), error);
    }

    [Fact]
    public async Task Infer_WrongShape_BadInputWithExpectedAndReceived()
    {
        NamedTensor input = Inputs.Random("x", [1, 3, 47, 320], seed: 1);
        InvokeError error = (await Client.InferAsync([input])).Error();
        Assert.Equal(new InvokeError(ErrorKind.BadInput, "input 'x': expected shape [-1,3,48,-1], got [1,3,47,320]"), error);
    }

    [Fact]
    public async Task Infer_WrongRank_BadInputWithExpectedAndReceived()
    {
        NamedTensor input = Inputs.Random("x", [3, 48, 320], seed: 1);
        InvokeError error = (await Client.InferAsync([input])).Error();
        Assert.Equal("input 'x': expected shape [-1,3,48,-1], got [3,48,320]", error.Message);
    }

    [Fact]
    public async Task Invoke_RawOnModel_BadInputPointsAtInfer()
    {
        InvokeError error = (await Client.RawAsync("", "hello")).Error();
        Assert.Equal(ErrorKind.BadInput, error.Kind);
        Assert.Equal("function 'ocr-test' is a model and expects tensors; use /v2/models/ocr-test/infer", error.Message);
    }

    [Fact]
    public async Task Invoke_TruncatedTensor_BadInputAndConnectionStaysUsable()
    {
        // A tensor whose byte length does not match its shape: the frame is well formed, its content is not.
        using (var writer = new WireWriter(FrameKind.Invoke, 77, 256))
        {
            writer.WriteByte((byte)InvokeOperation.Infer);
            writer.WriteUInt32(0);
            writer.WriteUInt16(1);
            writer.WriteTensor("x", TensorElementType.Float, [1, 3, 48, 32], new byte[12]);
            writer.WriteUInt16(0);
            Task<Reply> reply = Client.Expect(77);
            await Client.WriteAsync(writer.Complete());
            InvokeError error = (await reply).Error();
            Assert.Equal(ErrorKind.BadInput, error.Kind);
            Assert.StartsWith("malformed invocation:", error.Message);
        }

        Assert.Single((await Client.InferAsync([Inputs.Rec(32)])).Tensors());
    }

    [Fact]
    public async Task Infer_ManyInFlightOnOneConnection_EachAnsweredById()
    {
        int[] widths = [256, 32, 224, 64, 192, 96, 160, 128];
        var ids = new ulong[widths.Length];
        var replies = new Task<Reply>[widths.Length];
        for (int i = 0; i < widths.Length; i++)
        {
            ids[i] = Client.NextId();
            replies[i] = Client.SendAsync(WireCodec.EncodeInvoke(ids[i], new InferRequest([Inputs.Rec(widths[i], seed: i)], []), 0));
        }

        Reply[] answers = await Task.WhenAll(replies);
        for (int i = 0; i < widths.Length; i++)
        {
            Assert.Equal(ids[i], answers[i].Id);
            NamedTensor output = Assert.Single(answers[i].Tensors());
            Assert.Equal([1L, widths[i] / 8, 6625], output.Tensor.Shape);
        }
    }

    [Fact]
    public async Task Infer_TimeoutShorterThanRun_AnswersTimeout()
    {
        // rec on a 3200-wide line runs for hundreds of milliseconds on one thread; ORT is told to stop.
        InvokeError error = (await Client.InferAsync([Inputs.Rec(3200)], timeoutMs: 20)).Error();
        Assert.Equal(new InvokeError(ErrorKind.Timeout, "the invocation ran past its timeout of 20 ms"), error);
    }

    [Fact]
    public async Task Cancel_RunningInference_AnswersCancelled()
    {
        ulong id = Client.NextId();
        Task<Reply> reply = Client.SendAsync(WireCodec.EncodeInvoke(id, new InferRequest([Inputs.Rec(4800)], []), 0));
        await Task.Delay(30);
        await Client.CancelAsync(id);
        InvokeError error = (await reply).Error();
        Assert.Equal(ErrorKind.Timeout, error.Kind);
        Assert.Contains("cancelled by the platform", error.Message);
    }
}
