namespace Serval.TestSupport.Onnx;

/// <summary>
/// One dimension of a declared shape: a fixed size (<c>dim_value</c>), a symbolic name
/// (<c>dim_param</c>), or unknown (neither). Ints and strings convert implicitly, so a shape reads
/// <c>["N", 3, 48, "W"]</c>.
/// </summary>
/// <param name="Value">The fixed size, or -1 when symbolic or unknown.</param>
/// <param name="Param">The symbolic name, or null.</param>
public readonly record struct OnnxDim(long Value, string? Param)
{
    /// <summary>A dimension with neither a size nor a name.</summary>
    public static OnnxDim Unknown => new(-1, null);

    /// <summary>A fixed dimension.</summary>
    public static implicit operator OnnxDim(long value) => new(value, null);

    /// <summary>A symbolic dimension.</summary>
    public static implicit operator OnnxDim(string param) => new(-1, param);
}
