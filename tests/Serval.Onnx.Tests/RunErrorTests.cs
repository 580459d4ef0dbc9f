using Serval.Core.Tensors;
using Serval.TestSupport.Onnx;

namespace Serval.Onnx.Tests;

/// <summary>What a caller reads when an input is wrong: ORT's own text, naming the input and dimensions.</summary>
public sealed class RunErrorTests(RecSession rec, ModelDirectory models) : IClassFixture<RecSession>, IClassFixture<ModelDirectory>
{
    [Fact]
    public void Run_WrongFixedDimension_ThrowsNamingInputAndDimensions()
    {
        var input = Tensor.From<float>(new float[3 * 47 * 320], [1, 3, 47, 320]);

        var e = Assert.Throws<OrtException>(() => rec.Session.Run([new NamedTensor("x", input)]));

        Assert.Equal(OrtErrorCode.InvalidArgument, e.Code);
        Assert.Contains("Got invalid dimensions for input: x", e.Message);
        Assert.Contains("index: 2 Got: 47 Expected: 48", e.Message);
    }

    [Fact]
    public void Run_WrongRank_ThrowsNamingInputAndRanks()
    {
        var input = Tensor.From<float>(new float[3 * 48 * 320], [3, 48, 320]);

        var e = Assert.Throws<OrtException>(() => rec.Session.Run([new NamedTensor("x", input)]));

        Assert.Equal(OrtErrorCode.InvalidArgument, e.Code);
        Assert.Contains("Invalid rank for input: x Got: 3 Expected: 4", e.Message);
    }

    [Fact]
    public void Run_WrongElementType_ThrowsNamingBothTypes()
    {
        var input = Tensor.From<double>(new double[3 * 48 * 320], [1, 3, 48, 320]);

        var e = Assert.Throws<OrtException>(() => rec.Session.Run([new NamedTensor("x", input)]));

        Assert.Equal(OrtErrorCode.InvalidArgument, e.Code);
        Assert.Contains("Actual: (tensor(double))", e.Message);
        Assert.Contains("expected: (tensor(float))", e.Message);
    }

    [Fact]
    public void Run_UnknownInputName_ThrowsListingTheModelsInputs()
    {
        var input = Tensor.From<float>(new float[3 * 48 * 320], [1, 3, 48, 320]);

        var e = Assert.Throws<OrtException>(() => rec.Session.Run([new NamedTensor("image", input)]));

        Assert.Equal(OrtErrorCode.InvalidArgument, e.Code);
        Assert.Contains("no input named 'image'", e.Message);
        Assert.Contains("its inputs are x", e.Message);
    }

    [Fact]
    public void Run_MissingInput_ThrowsNamingIt()
    {
        using var session = models.Open(OnnxModels.Add(TensorElementType.Float, "N"));

        var e = Assert.Throws<OrtException>(() => session.Run([new NamedTensor("a", Tensor.From<float>([1f], [1]))]));

        Assert.Contains("Missing Input: b", e.Message);
    }

    [Fact]
    public void Run_AfterAFailedRun_StillRuns()
    {
        Assert.Throws<OrtException>(() => rec.Session.Run([new NamedTensor("x", Tensor.From<float>(new float[3 * 47 * 8], [1, 3, 47, 8]))]));

        NamedTensor[] outputs = rec.Session.Run([new NamedTensor("x", RecSession.Input(1, 8, seed: 1))]);

        Assert.Equal([1L, 1, 6625], outputs[0].Tensor.Shape);
    }
}
