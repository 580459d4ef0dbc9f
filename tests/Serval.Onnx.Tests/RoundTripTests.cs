using Serval.Core.Tensors;
using System.Runtime.InteropServices;
using Serval.TestSupport.Onnx;

namespace Serval.Onnx.Tests;

/// <summary>Every element type goes into ORT and comes back through Identity bit for bit.</summary>
public sealed class RoundTripTests(ModelDirectory models) : IClassFixture<ModelDirectory>
{
    public static TheoryData<TensorElementType> NumericTypes => new()
    {
        TensorElementType.Float, TensorElementType.Float16, TensorElementType.Double,
        TensorElementType.Int8, TensorElementType.Int16, TensorElementType.Int32, TensorElementType.Int64,
        TensorElementType.UInt8, TensorElementType.UInt16, TensorElementType.UInt32, TensorElementType.UInt64,
        TensorElementType.Bool, TensorElementType.BFloat16,
    };

    [Theory]
    [MemberData(nameof(NumericTypes))]
    public void Run_IdentityOfEachType_ReturnsInputBitForBit(TensorElementType type)
    {
        using var session = models.Open(OnnxModels.Identity(type, "N", 3));
        Tensor input = Edges(type);

        NamedTensor output = Assert.Single(session.Run([new NamedTensor("x", input)]));

        Assert.Equal("y", output.Name);
        Assert.Equal(type, output.Tensor.ElementType);
        Assert.Equal(input.Shape, output.Tensor.Shape);
        Assert.Equal(input.Data.ToArray(), output.Tensor.Data.ToArray());
    }

    [Fact]
    public void Run_IdentityOfStrings_ReturnsEveryStringIntact()
    {
        using var session = models.Open(OnnxModels.Identity(TensorElementType.String, "N", 2));
        string[] values = ["", "a", "héllo wörld", "识别文字", "🦊 fox", new string('z', 10_000)];

        NamedTensor output = Assert.Single(session.Run([new NamedTensor("x", Tensor.FromStrings(values, [3, 2]))]));

        Assert.Equal(TensorElementType.String, output.Tensor.ElementType);
        Assert.Equal([3L, 2], output.Tensor.Shape);
        Assert.Equal(values, output.Tensor.Strings!);
    }

    [Fact]
    public void Run_IdentityOfOnlyEmptyStrings_ReturnsEmptyStrings()
    {
        using var session = models.Open(OnnxModels.Identity(TensorElementType.String, "N"));

        NamedTensor output = Assert.Single(session.Run([new NamedTensor("x", Tensor.FromStrings(["", ""], [2]))]));

        Assert.Equal(["", ""], output.Tensor.Strings!);
    }

    [Theory]
    [InlineData(TensorElementType.Float)]
    [InlineData(TensorElementType.String)]
    public void Run_IdentityOfZeroElements_KeepsTheShape(TensorElementType type)
    {
        using var session = models.Open(OnnxModels.Identity(type, "N", 3));
        Tensor input = type == TensorElementType.String
            ? Tensor.FromStrings([], [0, 3])
            : Tensor.FromBytes(type, [0, 3], ReadOnlyMemory<byte>.Empty);

        NamedTensor output = Assert.Single(session.Run([new NamedTensor("x", input)]));

        Assert.Equal([0L, 3], output.Tensor.Shape);
        Assert.Equal(0, output.Tensor.ElementCount);
    }

    [Fact]
    public void Run_IdentityOfScalar_ReturnsRankZero()
    {
        using var session = models.Open(OnnxModels.Identity(TensorElementType.Int64));

        NamedTensor output = Assert.Single(session.Run([new NamedTensor("x", Tensor.From<long>([42L], []))]));

        Assert.Empty(output.Tensor.Shape);
        Assert.Equal([42L], output.Tensor.AsSpan<long>().ToArray());
    }

    [Fact]
    public void Run_InputIsASliceOfALargerBuffer_ReadsOnlyTheSlice()
    {
        using var session = models.Open(OnnxModels.Identity(TensorElementType.Int32, "N"));
        int[] buffer = [-1, -1, 10, 20, 30, -1];
        ReadOnlyMemory<byte> slice = MemoryMarshal.AsBytes(buffer.AsSpan()).ToArray().AsMemory(2 * sizeof(int), 3 * sizeof(int));

        NamedTensor output = Assert.Single(session.Run([new NamedTensor("x", Tensor.FromBytes(TensorElementType.Int32, [3], slice))]));

        Assert.Equal([10, 20, 30], output.Tensor.AsSpan<int>().ToArray());
    }

    [Fact]
    public void Run_AddWithTwoInputs_SumsElementwise()
    {
        using var session = models.Open(OnnxModels.Add(TensorElementType.Float, "N", 2));
        var a = Tensor.From<float>([1f, 2f, 3f, 4f, 5f, 6f], [3, 2]);
        var b = Tensor.From<float>([0.5f, -2f, 10f, 0f, -5f, 1e6f], [3, 2]);

        // Inputs are matched by name, not by position.
        NamedTensor output = Assert.Single(session.Run([new NamedTensor("b", b), new NamedTensor("a", a)]));

        Assert.Equal("sum", output.Name);
        Assert.Equal([3L, 2], output.Tensor.Shape);
        Assert.Equal([1.5f, 0f, 13f, 4f, 0f, 1000006f], output.Tensor.AsSpan<float>().ToArray());
    }

    [Fact]
    public void Run_AddOfInt64_SumsWithoutRounding()
    {
        using var session = models.Open(OnnxModels.Add(TensorElementType.Int64, "N"));
        var a = Tensor.From<long>([long.MaxValue - 1, -(1L << 53) - 1], [2]);
        var b = Tensor.From<long>([1L, -1L], [2]);

        NamedTensor output = Assert.Single(session.Run([new NamedTensor("a", a), new NamedTensor("b", b)]));

        Assert.Equal([long.MaxValue, -(1L << 53) - 2], output.Tensor.AsSpan<long>().ToArray());
    }

    /// <summary>Six values of <paramref name="type"/> in shape [2,3], including its edge cases.</summary>
    private static Tensor Edges(TensorElementType type)
    {
        long[] shape = [2, 3];
        return type switch
        {
            // A NaN with a payload, negative zero, infinity and a subnormal survive only an exact copy.
            TensorElementType.Float => Tensor.From<float>([BitConverter.Int32BitsToSingle(0x7FC0_1234), -0f, float.PositiveInfinity, float.Epsilon, float.MaxValue, -1.5f], shape),
            TensorElementType.Float16 => Tensor.From<Half>([Half.NaN, Half.NegativeZero, Half.PositiveInfinity, Half.Epsilon, Half.MaxValue, (Half)(-1.5f)], shape),
            TensorElementType.Double => Tensor.From<double>([BitConverter.Int64BitsToDouble(0x7FF8_0000_DEAD_BEEF), -0d, double.NegativeInfinity, double.Epsilon, double.MaxValue, Math.PI], shape),
            TensorElementType.Int8 => Tensor.From<sbyte>([sbyte.MinValue, -1, 0, 1, 42, sbyte.MaxValue], shape),
            TensorElementType.Int16 => Tensor.From<short>([short.MinValue, -1, 0, 1, 4242, short.MaxValue], shape),
            TensorElementType.Int32 => Tensor.From<int>([int.MinValue, -1, 0, 1, 424242, int.MaxValue], shape),
            TensorElementType.Int64 => Tensor.From<long>([long.MinValue, -1, 0, 1, 1L << 53 | 1, long.MaxValue], shape),
            TensorElementType.UInt8 => Tensor.From<byte>([0, 1, 127, 128, 200, byte.MaxValue], shape),
            TensorElementType.UInt16 => Tensor.From<ushort>([0, 1, 32767, 32768, 60000, ushort.MaxValue], shape),
            TensorElementType.UInt32 => Tensor.From<uint>([0, 1, int.MaxValue, 1u << 31, 4_000_000_000, uint.MaxValue], shape),
            TensorElementType.UInt64 => Tensor.From<ulong>([0, 1, long.MaxValue, 1ul << 63, 18_000_000_000_000_000_000, ulong.MaxValue], shape),
            TensorElementType.Bool => Tensor.From<bool>([true, false, false, true, true, false], shape),
            // bfloat16 has no .NET type: 1.0 (0x3F80), -0, +inf, a NaN, the smallest subnormal, 3.0 (0x4040).
            TensorElementType.BFloat16 => Tensor.FromBytes(type, shape, MemoryMarshal.AsBytes<ushort>([0x3F80, 0x8000, 0x7F80, 0x7FC1, 0x0001, 0x4040]).ToArray()),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
        };
    }
}
