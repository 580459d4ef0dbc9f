using System.Runtime.InteropServices;

namespace Serval.Core.Tensors;

/// <summary>
/// A tensor in managed memory: numeric elements as little-endian bytes in <see cref="Data"/>,
/// or UTF-8 strings in <see cref="Strings"/> for <see cref="TensorElementType.String"/>.
/// </summary>
public sealed class Tensor
{
    private Tensor(TensorElementType elementType, long[] shape, ReadOnlyMemory<byte> data, string[]? strings)
    {
        ElementType = elementType;
        Shape = shape;
        Data = data;
        Strings = strings;
    }

    /// <summary>The element type.</summary>
    public TensorElementType ElementType { get; }

    /// <summary>The dimensions.</summary>
    public long[] Shape { get; }

    /// <summary>The raw elements of a numeric tensor (empty for strings).</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The elements of a string tensor (null for numeric ones).</summary>
    public string[]? Strings { get; }

    /// <summary>The number of elements the shape holds.</summary>
    public long ElementCount => ElementCountOf(Shape);

    /// <summary>The product of <paramref name="shape"/>; 1 for a scalar.</summary>
    public static long ElementCountOf(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (long d in shape)
        {
            count = checked(count * d);
        }

        return count;
    }

    /// <summary>A numeric tensor over raw bytes; the length must match the shape and type.</summary>
    public static Tensor FromBytes(TensorElementType type, long[] shape, ReadOnlyMemory<byte> data)
    {
        if (type == TensorElementType.String || type.SizeOf() == 0)
        {
            throw new ArgumentException($"{type} tensors cannot be made from raw bytes", nameof(type));
        }

        long expected = ElementCountOf(shape) * type.SizeOf();
        if (data.Length != expected)
        {
            throw new ArgumentException($"shape [{string.Join(",", shape)}] of {type.ToOipName()} needs {expected} bytes, got {data.Length}", nameof(data));
        }

        return new Tensor(type, shape, data, null);
    }

    /// <summary>A tensor over typed elements (copied).</summary>
    public static Tensor From<T>(ReadOnlySpan<T> values, long[] shape)
        where T : unmanaged
        => FromBytes(TypeOf<T>(), shape, MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>A string tensor.</summary>
    public static Tensor FromStrings(string[] values, long[] shape)
    {
        if (values.Length != ElementCountOf(shape))
        {
            throw new ArgumentException($"shape [{string.Join(",", shape)}] needs {ElementCountOf(shape)} strings, got {values.Length}", nameof(values));
        }

        return new Tensor(TensorElementType.String, shape, ReadOnlyMemory<byte>.Empty, values);
    }

    /// <summary>The elements as <typeparamref name="T"/>; the type must match.</summary>
    public ReadOnlySpan<T> AsSpan<T>()
        where T : unmanaged
    {
        if (TypeOf<T>() != ElementType && !(typeof(T) == typeof(byte) && ElementType.SizeOf() == 1))
        {
            throw new InvalidOperationException($"a {ElementType.ToOipName()} tensor cannot be read as {typeof(T).Name}");
        }

        return MemoryMarshal.Cast<byte, T>(Data.Span);
    }

    /// <summary>The element type that <typeparamref name="T"/> stands for.</summary>
    public static TensorElementType TypeOf<T>()
        where T : unmanaged
    {
        Type t = typeof(T);
        if (t == typeof(float)) return TensorElementType.Float;
        if (t == typeof(byte)) return TensorElementType.UInt8;
        if (t == typeof(sbyte)) return TensorElementType.Int8;
        if (t == typeof(ushort)) return TensorElementType.UInt16;
        if (t == typeof(short)) return TensorElementType.Int16;
        if (t == typeof(int)) return TensorElementType.Int32;
        if (t == typeof(long)) return TensorElementType.Int64;
        if (t == typeof(bool)) return TensorElementType.Bool;
        if (t == typeof(Half)) return TensorElementType.Float16;
        if (t == typeof(double)) return TensorElementType.Double;
        if (t == typeof(uint)) return TensorElementType.UInt32;
        if (t == typeof(ulong)) return TensorElementType.UInt64;
        throw new NotSupportedException($"{t.Name} is not a tensor element type");
    }
}

/// <summary>A tensor with the name of the model input or output it belongs to.</summary>
/// <param name="Name">The input or output name.</param>
/// <param name="Tensor">The tensor.</param>
public readonly record struct NamedTensor(string Name, Tensor Tensor);
