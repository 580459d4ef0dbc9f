using System.Text;
using Serval.Core.Wire;
using Serval.Core.Tensors;

namespace Serval.Instance.Validation;

/// <summary>
/// Checks an inference request against the model's metadata before it reaches ONNX Runtime, so a
/// caller reads which input is wrong and how, instead of a native error. Pure; allocates only on
/// the error path (models have a handful of inputs, so the scans are quadratic on purpose).
/// </summary>
internal static class InputValidator
{
    /// <summary>The first problem with <paramref name="inputs"/>, or null when the model can run them.</summary>
    public static InvokeError? Validate(IReadOnlyList<TensorMetadata> expected, ReadOnlySpan<NamedTensor> inputs)
    {
        for (int i = 0; i < inputs.Length; i++)
        {
            string name = inputs[i].Name;
            int index = IndexOf(expected, name);
            if (index < 0)
            {
                return Bad($"unknown input '{name}'; the model's inputs are {Names(expected)}");
            }

            for (int j = 0; j < i; j++)
            {
                if (string.Equals(inputs[j].Name, name, StringComparison.Ordinal))
                {
                    return Bad($"input '{name}' is given more than once");
                }
            }

            if (Check(expected[index], inputs[i].Tensor) is { } error)
            {
                return error;
            }
        }

        for (int m = 0; m < expected.Count; m++)
        {
            if (!Contains(inputs, expected[m].Name))
            {
                return Bad($"missing input '{expected[m].Name}' ({expected[m].ElementType.ToOipName()} {ShapeText(expected[m].Shape)}); the model's inputs are {Names(expected)}");
            }
        }

        return null;
    }

    /// <summary>Checks one tensor's datatype, then its rank and fixed dimensions.</summary>
    public static InvokeError? Check(TensorMetadata expected, Tensor tensor)
    {
        if (tensor.ElementType != expected.ElementType)
        {
            return Bad($"input '{expected.Name}': expected {expected.ElementType.ToOipName()}, got {tensor.ElementType.ToOipName()}");
        }

        if (!expected.Accepts(tensor.Shape))
        {
            return Bad($"input '{expected.Name}': expected shape {ShapeText(expected.Shape)}, got {ShapeText(tensor.Shape)}");
        }

        return null;
    }

    /// <summary>"[1,3,48,-1]".</summary>
    public static string ShapeText(ReadOnlySpan<long> shape)
    {
        var text = new StringBuilder("[");
        for (int i = 0; i < shape.Length; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(shape[i]);
        }

        return text.Append(']').ToString();
    }

    /// <summary>"x, y": the names of <paramref name="tensors"/>, for error messages.</summary>
    public static string Names(IReadOnlyList<TensorMetadata> tensors)
    {
        var text = new StringBuilder();
        for (int i = 0; i < tensors.Count; i++)
        {
            text.Append(i > 0 ? ", " : "").Append('\'').Append(tensors[i].Name).Append('\'');
        }

        return text.ToString();
    }

    /// <summary>The position of the tensor named <paramref name="name"/>, or -1.</summary>
    public static int IndexOf(IReadOnlyList<TensorMetadata> tensors, string name)
    {
        for (int i = 0; i < tensors.Count; i++)
        {
            if (string.Equals(tensors[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool Contains(ReadOnlySpan<NamedTensor> inputs, string name)
    {
        foreach (NamedTensor input in inputs)
        {
            if (string.Equals(input.Name, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static InvokeError Bad(string message) => new(ErrorKind.BadInput, message);
}
