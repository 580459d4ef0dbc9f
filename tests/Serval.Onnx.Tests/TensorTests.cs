using Serval.Core.Tensors;
namespace Serval.Onnx.Tests;

public class TensorTests
{
    [Fact]
    public void FromBytes_LengthDoesNotMatchShape_SaysWhatItNeeds()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.FromBytes(TensorElementType.Float, [2, 3], new byte[20]));

        Assert.Equal("data", e.ParamName);
        Assert.Contains("shape [2,3] of FP32 needs 24 bytes, got 20", e.Message);
    }

    [Theory]
    [InlineData(TensorElementType.String)]
    [InlineData(TensorElementType.Undefined)]
    public void FromBytes_TypeWithoutFixedSize_Throws(TensorElementType type)
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.FromBytes(type, [1], new byte[1]));

        Assert.Equal("type", e.ParamName);
    }

    [Fact]
    public void From_UnsupportedElementType_ThrowsNotSupported()
    {
        var e = Assert.Throws<NotSupportedException>(() => Tensor.From<char>(['a'], [1]));

        Assert.Contains("Char is not a tensor element type", e.Message);
    }

    [Fact]
    public void From_ValuesDoNotFitShape_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.From<int>([1, 2, 3], [2, 2]));

        Assert.Contains("needs 16 bytes, got 12", e.Message);
    }

    [Fact]
    public void From_CopiesTheValues()
    {
        float[] values = [1f, 2f];
        var tensor = Tensor.From<float>(values, [2]);
        values[0] = 99f;

        Assert.Equal([1f, 2f], tensor.AsSpan<float>().ToArray());
    }

    [Fact]
    public void AsSpan_WrongType_ThrowsNamingBothTypes()
    {
        var tensor = Tensor.From<float>([1f], [1]);

        var e = Assert.Throws<InvalidOperationException>(() => tensor.AsSpan<int>().Length);

        Assert.Equal("a FP32 tensor cannot be read as Int32", e.Message);
    }

    [Fact]
    public void AsSpan_SameSizeOtherType_Throws()
    {
        // uint and float are both 4 bytes: the check is on the type, not the size.
        var tensor = Tensor.From<float>([1f], [1]);

        Assert.Throws<InvalidOperationException>(() => tensor.AsSpan<uint>().Length);
    }

    [Theory]
    [InlineData(TensorElementType.Bool)]
    [InlineData(TensorElementType.Int8)]
    public void AsSpan_BytesOfOneByteType_AreAllowed(TensorElementType type)
    {
        var tensor = Tensor.FromBytes(type, [3], new byte[] { 1, 0, 1 });

        Assert.Equal([1, 0, 1], tensor.AsSpan<byte>().ToArray());
    }

    [Fact]
    public void AsSpan_StringTensor_Throws()
    {
        var tensor = Tensor.FromStrings(["a"], [1]);

        Assert.Throws<InvalidOperationException>(() => tensor.AsSpan<byte>().Length);
    }

    [Fact]
    public void FromStrings_CountDoesNotMatchShape_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.FromStrings(["a", "b"], [3]));

        Assert.Equal("values", e.ParamName);
        Assert.Contains("needs 3 strings, got 2", e.Message);
    }

    [Theory]
    [InlineData(new long[0], 1)]
    [InlineData(new long[] { 0, 5 }, 0)]
    [InlineData(new long[] { 2, 3, 4 }, 24)]
    public void ElementCountOf_Shape_IsTheProduct(long[] shape, long expected)
    {
        Assert.Equal(expected, Tensor.ElementCountOf(shape));
    }

    [Fact]
    public void ElementCountOf_Overflow_Throws()
    {
        Assert.Throws<OverflowException>(() => Tensor.ElementCountOf([long.MaxValue, 2]));
    }

    [Fact]
    public void TypeOf_EachClrType_IsItsElementType()
    {
        Assert.Equal(TensorElementType.Float, Tensor.TypeOf<float>());
        Assert.Equal(TensorElementType.Float16, Tensor.TypeOf<Half>());
        Assert.Equal(TensorElementType.Double, Tensor.TypeOf<double>());
        Assert.Equal(TensorElementType.Int8, Tensor.TypeOf<sbyte>());
        Assert.Equal(TensorElementType.UInt8, Tensor.TypeOf<byte>());
        Assert.Equal(TensorElementType.Int16, Tensor.TypeOf<short>());
        Assert.Equal(TensorElementType.UInt16, Tensor.TypeOf<ushort>());
        Assert.Equal(TensorElementType.Int32, Tensor.TypeOf<int>());
        Assert.Equal(TensorElementType.UInt32, Tensor.TypeOf<uint>());
        Assert.Equal(TensorElementType.Int64, Tensor.TypeOf<long>());
        Assert.Equal(TensorElementType.UInt64, Tensor.TypeOf<ulong>());
        Assert.Equal(TensorElementType.Bool, Tensor.TypeOf<bool>());
    }
}
