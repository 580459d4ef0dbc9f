using Serval.Core.Tensors;
using Serval.TestSupport.Onnx;

namespace Serval.Onnx.Tests;

public sealed class TensorMetadataTests(RecSession rec, ModelDirectory models) : IClassFixture<RecSession>, IClassFixture<ModelDirectory>
{
    [Fact]
    public void Inputs_RecModel_AreXWithDynamicBatchAndWidth()
    {
        TensorMetadata x = Assert.Single(rec.Session.Inputs);

        // What ORT reports for the Paddle export: the converter names its dynamic dimensions.
        Assert.Equal("x", x.Name);
        Assert.Equal(TensorElementType.Float, x.ElementType);
        Assert.Equal([-1L, 3, 48, -1], x.Shape);
        Assert.Equal(["p2o.DynamicDimension.0", "", "", "p2o.DynamicDimension.1"], x.SymbolicDimensions);
        Assert.Equal("[p2o.DynamicDimension.0,3,48,p2o.DynamicDimension.1]", x.ShapeText);
    }

    [Fact]
    public void Outputs_RecModel_AreSoftmaxOverTheVocabulary()
    {
        TensorMetadata output = Assert.Single(rec.Session.Outputs);

        Assert.Equal("softmax_11.tmp_0", output.Name);
        Assert.Equal(TensorElementType.Float, output.ElementType);
        Assert.Equal([-1L, -1, 6625], output.Shape);
        Assert.Equal(["p2o.DynamicDimension.2", "p2o.DynamicDimension.3", ""], output.SymbolicDimensions);
    }

    [Fact]
    public void Inputs_GeneratedModel_ReportSymbolicFixedAndUnnamedDimensions()
    {
        using var session = models.Open(OnnxModels.Identity(TensorElementType.UInt16, "batch", 3, OnnxDim.Unknown));

        TensorMetadata x = Assert.Single(session.Inputs);
        Assert.Equal(TensorElementType.UInt16, x.ElementType);
        Assert.Equal([-1L, 3, -1], x.Shape);
        Assert.Equal(["batch", "", ""], x.SymbolicDimensions);
        Assert.Equal("[batch,3,-1]", x.ShapeText);
        Assert.Equal("y", Assert.Single(session.Outputs).Name);
    }

    [Fact]
    public void Inputs_TwoInputModel_AreInModelOrder()
    {
        using var session = models.Open(OnnxModels.Add(TensorElementType.Double, 4));

        Assert.Equal(["a", "b"], session.Inputs.Select(i => i.Name));
        Assert.All(session.Inputs, i => Assert.Equal(TensorElementType.Double, i.ElementType));
        Assert.All(session.Inputs, i => Assert.Equal([4L], i.Shape));
    }

    [Fact]
    public void Outputs_SequenceOutput_AreUndefinedAndRunThrowsNotImplemented()
    {
        using var session = models.Open(OnnxModels.SequenceOutput());
        var input = new NamedTensor[] { new("x", Tensor.From<float>([1f, 2f], [2])) };

        Assert.Equal(TensorElementType.Undefined, Assert.Single(session.Outputs).ElementType);
        // Twice, then a collection: the rejected outputs are released once, not twice (that crashed the process).
        for (int i = 0; i < 2; i++)
        {
            var e = Assert.Throws<OrtException>(() => session.Run(input));
            Assert.Equal(OrtErrorCode.NotImplemented, e.Code);
            Assert.Contains("'seq' is not a tensor", e.Message);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var identity = models.Open(OnnxModels.Identity(TensorElementType.Float, "N"));
        Assert.Equal([1f, 2f], identity.Run(input)[0].Tensor.AsSpan<float>().ToArray());
    }

    public static TheoryData<long[], bool> RecShapes => new()
    {
        { [1, 3, 48, 320], true },
        { [8, 3, 48, 1], true },
        { [0, 3, 48, 320], true },
        { [1, 3, 47, 320], false },
        { [1, 1, 48, 320], false },
        { [1, 3, 48], false },
        { [1, 3, 48, 320, 1], false },
        { [-1, 3, 48, 320], false },
    };

    [Theory]
    [MemberData(nameof(RecShapes))]
    public void Accepts_RecInput_MatchesRankAndFixedDimensions(long[] shape, bool expected)
    {
        Assert.Equal(expected, rec.Session.Inputs[0].Accepts(shape));
    }

    [Fact]
    public void Accepts_Scalar_OnlyRankZero()
    {
        var scalar = new TensorMetadata("s", TensorElementType.Int64, [], []);

        Assert.True(scalar.Accepts([]));
        Assert.False(scalar.Accepts([1]));
    }

    [Fact]
    public void ShapeText_DynamicWithoutName_ShowsMinusOne()
    {
        var metadata = new TensorMetadata("x", TensorElementType.Float, [-1, 3, -1], ["N", "", ""]);

        Assert.Equal("[N,3,-1]", metadata.ShapeText);
    }
}
