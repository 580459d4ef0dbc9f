using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Serval.Core.Tensors;

namespace Serval.Core.Oip;

/// <summary>
/// Triton's binary tensor extension: a JSON header of <c>Inference-Header-Content-Length</c> bytes,
/// then the raw data of each tensor whose <c>parameters</c> carry <c>binary_data_size</c>, in the
/// header's order. Numeric tensors travel as their little-endian elements; <c>BYTES</c> as a 4-byte
/// little-endian length before each element.
/// </summary>
public static class OipBinary
{
    /// <summary>The HTTP header carrying the JSON header's length in bytes.</summary>
    public const string HeaderLengthName = "Inference-Header-Content-Length";

    /// <summary>The content type of a binary message.</summary>
    public const string ContentType = "application/octet-stream";

    /// <summary>Bytes of <paramref name="tensor"/>'s binary form.</summary>
    public static long SizeOf(Tensor tensor)
    {
        if (tensor.ElementType != TensorElementType.String)
        {
            return tensor.Data.Length;
        }

        long size = 0;
        foreach (string s in tensor.Strings!)
        {
            size += 4 + Encoding.UTF8.GetByteCount(s);
        }

        return size;
    }

    /// <summary>Appends <paramref name="tensor"/>'s binary form.</summary>
    public static void Write(IBufferWriter<byte> destination, Tensor tensor)
    {
        if (tensor.ElementType != TensorElementType.String)
        {
            destination.Write(tensor.Data.Span);
            return;
        }

        foreach (string s in tensor.Strings!)
        {
            int length = Encoding.UTF8.GetByteCount(s);
            Span<byte> span = destination.GetSpan(4 + length);
            BinaryPrimitives.WriteInt32LittleEndian(span, length);
            Encoding.UTF8.GetBytes(s, span[4..]);
            destination.Advance(4 + length);
        }
    }

    /// <summary>Writes <paramref name="tensor"/>'s binary form to <paramref name="destination"/>; numeric data goes as it lies, uncopied.</summary>
    public static async ValueTask WriteAsync(Stream destination, Tensor tensor, CancellationToken cancellationToken)
    {
        if (tensor.ElementType != TensorElementType.String)
        {
            await destination.WriteAsync(tensor.Data, cancellationToken).ConfigureAwait(false);
            return;
        }

        var buffer = new ArrayBufferWriter<byte>();
        Write(buffer, tensor);
        await destination.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A tensor of <paramref name="shape"/> over <paramref name="bytes"/> in binary form (numeric data is not copied).</summary>
    /// <param name="where">How errors name the tensor ("input 'x'").</param>
    /// <param name="type">The element type.</param>
    /// <param name="shape">The dimensions.</param>
    /// <param name="bytes">The binary form.</param>
    /// <exception cref="OipException">The bytes do not hold the shape's elements.</exception>
    public static Tensor Read(string where, TensorElementType type, long[] shape, ReadOnlyMemory<byte> bytes)
    {
        long count = Tensor.ElementCountOf(shape);
        if (type != TensorElementType.String)
        {
            long expected = count * type.SizeOf();
            if (bytes.Length != expected)
            {
                throw new OipException($"{where}: shape {OipShapes.Text(shape)} of {type.ToOipName()} needs {expected} bytes, got {bytes.Length}");
            }

            return Tensor.FromBytes(type, shape, bytes);
        }

        var values = new string[count];
        ReadOnlySpan<byte> span = bytes.Span;
        for (long e = 0; e < count; e++)
        {
            if (span.Length < 4)
            {
                throw new OipException($"{where}: binary BYTES data ends after {e} of {count} elements");
            }

            int length = BinaryPrimitives.ReadInt32LittleEndian(span);
            if (length < 0 || length > span.Length - 4)
            {
                throw new OipException($"{where}: binary BYTES element {e} claims {length} bytes, {span.Length - 4} left");
            }

            values[e] = Encoding.UTF8.GetString(span.Slice(4, length));
            span = span[(4 + length)..];
        }

        if (span.Length != 0)
        {
            throw new OipException($"{where}: {span.Length} bytes left after {count} BYTES elements");
        }

        return Tensor.FromStrings(values, shape);
    }
}

/// <summary>Shapes as the protocol's errors write them, and the rule a request's shape must follow.</summary>
public static class OipShapes
{
    /// <summary>"[1,3,-1,-1]".</summary>
    public static string Text(long[] shape) => "[" + string.Join(",", shape) + "]";

    /// <summary>True when <paramref name="shape"/> (all non-negative) has the rank of <paramref name="expected"/> and its fixed dimensions (-1 is free).</summary>
    public static bool Accepts(long[] expected, long[] shape)
    {
        if (expected.Length != shape.Length)
        {
            return false;
        }

        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0 || (expected[i] >= 0 && expected[i] != shape[i]))
            {
                return false;
            }
        }

        return true;
    }
}
