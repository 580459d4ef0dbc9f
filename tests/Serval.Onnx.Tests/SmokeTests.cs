using Serval.Onnx;
using Serval.TestSupport;

namespace Serval.Onnx.Tests;

public class SmokeTests
{
    [Fact]
    public void Rec_RunsOnZeros_OutputHasVocabularyWidth()
    {
        using var session = new InferenceSession(Paths.RecModel);
        Assert.Equal("x", session.Inputs[0].Name);
        var input = Tensor.From<float>(new float[3 * 48 * 320], [1, 3, 48, 320]);
        NamedTensor[] outputs = session.Run([new NamedTensor("x", input)]);
        Assert.Equal([1L, 40, 6625], outputs[0].Tensor.Shape);
    }
}
