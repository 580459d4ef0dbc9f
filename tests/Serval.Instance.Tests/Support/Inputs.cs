using Serval.Core.Tensors;

namespace Serval.Instance.Tests.Support;

/// <summary>Request tensors for the OCR models.</summary>
internal static class Inputs
{
    /// <summary>A rec input [1,3,48,width] of seeded pseudo-random values in [-1, 1) (as PP-OCR normalises pixels).</summary>
    public static NamedTensor Rec(int width, int seed = 7, string name = "x") => Random(name, [1, 3, 48, width], seed);

    public static NamedTensor Random(string name, long[] shape, int seed)
    {
        var random = new Random(seed);
        float[] values = new float[Tensor.ElementCountOf(shape)];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return new NamedTensor(name, Tensor.From<float>(values, shape));
    }
}
