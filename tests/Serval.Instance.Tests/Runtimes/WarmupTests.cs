using Serval.Instance.Runtimes;
using Serval.Core.Tensors;
using Serval.Onnx;
using Serval.TestSupport;

namespace Serval.Instance.Tests.Runtimes;

public sealed class WarmupTests
{
    [Theory]
    [InlineData(new long[] { -1, 3, 48, -1 }, new long[] { 1, 3, 48, 32 })]
    [InlineData(new long[] { -1, 3, -1, -1 }, new long[] { 1, 3, 32, 32 })]
    [InlineData(new long[] { -1, 3, 48, 192 }, new long[] { 1, 3, 48, 192 })]
    [InlineData(new long[] { 2, -1 }, new long[] { 2, 32 })]
    [InlineData(new long[] { -1 }, new long[] { 1 })]
    [InlineData(new long[] { }, new long[] { })]
    public void ShapeFor_DynamicDims_BatchOneOthersSmall(long[] shape, long[] expected)
    {
        Assert.Equal(expected, Warmup.ShapeFor(shape));
    }

    [Fact]
    public void InputsFor_MixedTypes_ZerosOfEachType()
    {
        TensorMetadata[] inputs =
        [
            new("ids", TensorElementType.Int64, [-1, -1], ["", ""]),
            new("text", TensorElementType.String, [4, -1], ["", ""]),
        ];

        NamedTensor[] zeros = Warmup.InputsFor(inputs)!;

        Assert.Equal([1L, 32], zeros[0].Tensor.Shape);
        Assert.Equal(32 * 8, zeros[0].Tensor.Data.Length);
        string[] strings = zeros[1].Tensor.Strings!;
        Assert.Equal(4 * 32, strings.Length);
        Assert.All(strings, s => Assert.Equal("", s));
    }

    [Fact]
    public void InputsFor_NonTensorInput_Null()
    {
        Assert.Null(Warmup.InputsFor([new TensorMetadata("seq", TensorElementType.Undefined, [], [])]));
    }

    [Theory]
    [InlineData("ch_PP-OCRv4_det_infer.onnx")]
    [InlineData("ch_PP-OCRv4_rec_infer.onnx")]
    [InlineData("ch_ppocr_mobile_v2.0_cls_infer.onnx")]
    public void Run_OcrModels_AcceptTheWarmupShape(string model)
    {
        using var session = new InferenceSession(Path.Combine(Paths.Models, model));

        Assert.True(Warmup.Run(session));
    }
}
