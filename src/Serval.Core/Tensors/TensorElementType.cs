namespace Serval.Core.Tensors;

/// <summary>Tensor element types, numbered as ONNX's <c>TensorProto.DataType</c>.</summary>
public enum TensorElementType
{
    /// <summary>Not a tensor, or a type Serval does not know.</summary>
    Undefined = 0,
    /// <summary>32-bit float.</summary>
    Float = 1,
    /// <summary>Unsigned byte.</summary>
    UInt8 = 2,
    /// <summary>Signed byte.</summary>
    Int8 = 3,
    /// <summary>Unsigned 16-bit integer.</summary>
    UInt16 = 4,
    /// <summary>Signed 16-bit integer.</summary>
    Int16 = 5,
    /// <summary>Signed 32-bit integer.</summary>
    Int32 = 6,
    /// <summary>Signed 64-bit integer.</summary>
    Int64 = 7,
    /// <summary>UTF-8 string.</summary>
    String = 8,
    /// <summary>Boolean, one byte each.</summary>
    Bool = 9,
    /// <summary>IEEE half precision.</summary>
    Float16 = 10,
    /// <summary>64-bit float.</summary>
    Double = 11,
    /// <summary>Unsigned 32-bit integer.</summary>
    UInt32 = 12,
    /// <summary>Unsigned 64-bit integer.</summary>
    UInt64 = 13,
    /// <summary>bfloat16.</summary>
    BFloat16 = 16,
}

/// <summary>Sizes and the Open Inference Protocol names of element types.</summary>
public static class TensorElementTypes
{
    /// <summary>Bytes per element; 0 for strings and unknown types.</summary>
    public static int SizeOf(this TensorElementType type) => type switch
    {
        TensorElementType.Float or TensorElementType.Int32 or TensorElementType.UInt32 => 4,
        TensorElementType.UInt8 or TensorElementType.Int8 or TensorElementType.Bool => 1,
        TensorElementType.UInt16 or TensorElementType.Int16 or TensorElementType.Float16 or TensorElementType.BFloat16 => 2,
        TensorElementType.Int64 or TensorElementType.UInt64 or TensorElementType.Double => 8,
        _ => 0,
    };

    /// <summary>The Open Inference Protocol datatype name (<c>FP32</c>, <c>INT64</c>, <c>BYTES</c>...).</summary>
    public static string ToOipName(this TensorElementType type) => type switch
    {
        TensorElementType.Float => "FP32",
        TensorElementType.UInt8 => "UINT8",
        TensorElementType.Int8 => "INT8",
        TensorElementType.UInt16 => "UINT16",
        TensorElementType.Int16 => "INT16",
        TensorElementType.Int32 => "INT32",
        TensorElementType.Int64 => "INT64",
        TensorElementType.String => "BYTES",
        TensorElementType.Bool => "BOOL",
        TensorElementType.Float16 => "FP16",
        TensorElementType.Double => "FP64",
        TensorElementType.UInt32 => "UINT32",
        TensorElementType.UInt64 => "UINT64",
        TensorElementType.BFloat16 => "BF16",
        _ => "UNDEFINED",
    };

    /// <summary>Parses an Open Inference Protocol datatype name; false when it is not one.</summary>
    public static bool TryParseOipName(string? name, out TensorElementType type)
    {
        type = name switch
        {
            "FP32" => TensorElementType.Float,
            "UINT8" => TensorElementType.UInt8,
            "INT8" => TensorElementType.Int8,
            "UINT16" => TensorElementType.UInt16,
            "INT16" => TensorElementType.Int16,
            "INT32" => TensorElementType.Int32,
            "INT64" => TensorElementType.Int64,
            "BYTES" => TensorElementType.String,
            "BOOL" => TensorElementType.Bool,
            "FP16" => TensorElementType.Float16,
            "FP64" => TensorElementType.Double,
            "UINT32" => TensorElementType.UInt32,
            "UINT64" => TensorElementType.UInt64,
            "BF16" => TensorElementType.BFloat16,
            _ => TensorElementType.Undefined,
        };
        return type != TensorElementType.Undefined;
    }
}
