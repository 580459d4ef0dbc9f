using Serval.Core.Tensors;
namespace Serval.Onnx.Tests;

public class TensorElementTypesTests
{
    [Theory]
    [InlineData(TensorElementType.Float, "FP32", 4)]
    [InlineData(TensorElementType.Float16, "FP16", 2)]
    [InlineData(TensorElementType.BFloat16, "BF16", 2)]
    [InlineData(TensorElementType.Double, "FP64", 8)]
    [InlineData(TensorElementType.Int8, "INT8", 1)]
    [InlineData(TensorElementType.Int16, "INT16", 2)]
    [InlineData(TensorElementType.Int32, "INT32", 4)]
    [InlineData(TensorElementType.Int64, "INT64", 8)]
    [InlineData(TensorElementType.UInt8, "UINT8", 1)]
    [InlineData(TensorElementType.UInt16, "UINT16", 2)]
    [InlineData(TensorElementType.UInt32, "UINT32", 4)]
    [InlineData(TensorElementType.UInt64, "UINT64", 8)]
    [InlineData(TensorElementType.Bool, "BOOL", 1)]
    [InlineData(TensorElementType.String, "BYTES", 0)]
    public void OipName_EachType_RoundTripsWithItsSize(TensorElementType type, string name, int size)
    {
        Assert.Equal(name, type.ToOipName());
        Assert.True(TensorElementTypes.TryParseOipName(name, out TensorElementType parsed));
        Assert.Equal(type, parsed);
        Assert.Equal(size, type.SizeOf());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("fp32")]
    [InlineData("FLOAT")]
    public void TryParseOipName_Unknown_IsFalse(string? name)
    {
        Assert.False(TensorElementTypes.TryParseOipName(name, out TensorElementType type));
        Assert.Equal(TensorElementType.Undefined, type);
    }
}
