using Serval.Core.Tensors;
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

        // Each of the 40 time steps is a softmax over the vocabulary: it sums to 1.
        ReadOnlySpan<float> probabilities = outputs[0].Tensor.AsSpan<float>();
        for (int step = 0; step < 40; step++)
        {
            float sum = 0;
            foreach (float p in probabilities.Slice(step * 6625, 6625))
            {
                sum += p;
            }

            Assert.InRange(sum, 0.999f, 1.001f);
        }
    }
}
