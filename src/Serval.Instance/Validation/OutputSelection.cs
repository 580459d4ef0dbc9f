using Serval.Core.Wire;
using Serval.Core.Tensors;

namespace Serval.Instance.Validation;

/// <summary>Which of the model's outputs an answer carries: the requested ones by name, or all when none are named.</summary>
internal static class OutputSelection
{
    /// <summary>
    /// The indices of <paramref name="requested"/> among <paramref name="outputs"/>, in request order;
    /// <paramref name="all"/> when the request names none. An unknown name is a <see cref="ErrorKind.BadInput"/>.
    /// </summary>
    public static InvokeError? Resolve(IReadOnlyList<TensorMetadata> outputs, string[] requested, int[] all, out int[] selected)
    {
        if (requested.Length == 0)
        {
            selected = all;
            return null;
        }

        selected = new int[requested.Length];
        for (int i = 0; i < requested.Length; i++)
        {
            int index = InputValidator.IndexOf(outputs, requested[i]);
            if (index < 0)
            {
                selected = [];
                return new InvokeError(ErrorKind.BadInput, $"unknown output '{requested[i]}'; the model's outputs are {InputValidator.Names(outputs)}");
            }

            selected[i] = index;
        }

        return null;
    }

    /// <summary>0, 1, ..., count - 1: the selection for a request that names no outputs.</summary>
    public static int[] All(int count)
    {
        int[] all = new int[count];
        for (int i = 0; i < count; i++)
        {
            all[i] = i;
        }

        return all;
    }
}
