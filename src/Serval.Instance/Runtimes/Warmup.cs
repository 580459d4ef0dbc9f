using Serval.Core.Tensors;
using Serval.Onnx;

namespace Serval.Instance.Runtimes;

/// <summary>
/// The warm-up run: zeros shaped from the model's input metadata. ORT allocates its arenas and
/// picks kernels on the first run, so doing it before the ready line moves that cost out of the
/// first request (rec: first run 30 ms, then 24 ms).
/// </summary>
internal static class Warmup
{
    /// <summary>
    /// Size of a dynamic dimension other than the batch. 32 fits the OCR models: det [N,3,H,W] is
    /// downsampled 32× (32×32 → 1×1 at its deepest), rec [N,3,48,W] gives W/8 = 4 time steps.
    /// </summary>
    public const long DynamicSize = 32;

    /// <summary>The shape to warm up with: fixed dimensions kept, a dynamic first (batch) dimension 1, others <see cref="DynamicSize"/>.</summary>
    public static long[] ShapeFor(ReadOnlySpan<long> shape)
    {
        long[] result = new long[shape.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            result[i] = shape[i] >= 0 ? shape[i] : i == 0 ? 1 : DynamicSize;
        }

        return result;
    }

    /// <summary>Zero inputs for every input of the model; null when one is not a plain tensor (nothing to build).</summary>
    public static NamedTensor[]? InputsFor(IReadOnlyList<TensorMetadata> inputs)
    {
        var result = new NamedTensor[inputs.Count];
        for (int i = 0; i < inputs.Count; i++)
        {
            TensorMetadata input = inputs[i];
            long[] shape = ShapeFor(input.Shape);
            long count = Tensor.ElementCountOf(shape);
            if (input.ElementType == TensorElementType.String)
            {
                string[] empty = new string[count];
                Array.Fill(empty, "");
                result[i] = new NamedTensor(input.Name, Tensor.FromStrings(empty, shape));
            }
            else if (input.ElementType.SizeOf() > 0)
            {
                result[i] = new NamedTensor(input.Name, Tensor.FromBytes(input.ElementType, shape, new byte[count * input.ElementType.SizeOf()]));
            }
            else
            {
                return null;
            }
        }

        return result;
    }

    /// <summary>Runs <paramref name="session"/> once on zeros; false when the model has inputs zeros cannot stand for.</summary>
    public static bool Run(InferenceSession session)
    {
        NamedTensor[]? inputs = InputsFor(session.Inputs);
        if (inputs is null)
        {
            return false;
        }

        using SessionOutputs outputs = session.RunRaw(inputs);
        return true;
    }
}
