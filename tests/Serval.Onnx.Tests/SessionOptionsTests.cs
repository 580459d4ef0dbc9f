using Serval.Core.Tensors;
using Serval.TestSupport.Onnx;

namespace Serval.Onnx.Tests;

public sealed class SessionOptionsTests(ModelDirectory models) : IClassFixture<ModelDirectory>
{
    [Fact]
    public void Constructor_OptimizedModelPath_WritesALoadableModel()
    {
        string optimized = Path.Combine(models.Path, "optimized.onnx");
        using (models.Open(OnnxModels.Add(TensorElementType.Float, "N"), new SessionOptions { OptimizedModelPath = optimized }))
        {
        }

        using var reloaded = new InferenceSession(optimized);
        NamedTensor[] output = reloaded.Run([new NamedTensor("a", Tensor.From<float>([1f], [1])), new NamedTensor("b", Tensor.From<float>([2f], [1]))]);
        Assert.Equal([3f], output[0].Tensor.AsSpan<float>().ToArray());
    }

    [Theory]
    [InlineData(0, 0, true)]
    [InlineData(2, 1, false)]
    [InlineData(1, 99, true)]
    public void Constructor_ThreadsOptimisationAndSpinning_GiveTheSameResult(int threads, int level, bool spinning)
    {
        var options = new SessionOptions { IntraOpThreads = threads, GraphOptimizationLevel = level, AllowSpinning = spinning };
        using var session = models.Open(OnnxModels.Add(TensorElementType.Double, "N"), options);

        NamedTensor[] output = session.Run([new NamedTensor("a", Tensor.From<double>([0.1, 1e300], [2])), new NamedTensor("b", Tensor.From<double>([0.2, 1e300], [2]))]);

        Assert.Equal([0.1 + 0.2, 2e300], output[0].Tensor.AsSpan<double>().ToArray());
    }
}
