namespace Serval.Core.Tensors;

/// <summary>
/// An input or output of a model: its name, element type and shape. Dynamic dimensions are -1,
/// with their symbolic names (empty where the model gives none) in <see cref="SymbolicDimensions"/>.
/// </summary>
/// <param name="Name">The name the model gives it.</param>
/// <param name="ElementType">The element type; <see cref="TensorElementType.Undefined"/> when it is not a tensor.</param>
/// <param name="Shape">Dimensions, -1 where dynamic.</param>
/// <param name="SymbolicDimensions">One name per dimension, empty where fixed or unnamed.</param>
public sealed record TensorMetadata(string Name, TensorElementType ElementType, long[] Shape, string[] SymbolicDimensions)
{
    /// <summary>"[N,3,48,W]": the shape with symbolic names (or -1) in dynamic places.</summary>
    public string ShapeText => "[" + string.Join(",", Shape.Select((d, i) => d >= 0 ? d.ToString() : SymbolicDimensions[i].Length > 0 ? SymbolicDimensions[i] : "-1")) + "]";

    /// <summary>True when <paramref name="shape"/> has this rank and matches every fixed dimension.</summary>
    public bool Accepts(ReadOnlySpan<long> shape)
    {
        if (shape.Length != Shape.Length)
        {
            return false;
        }

        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0 || (Shape[i] >= 0 && Shape[i] != shape[i]))
            {
                return false;
            }
        }

        return true;
    }
}
