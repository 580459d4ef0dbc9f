using System.Buffers.Binary;
using System.Text.Json;
using Serval.Core.Tensors;

namespace Serval.Core.Oip;

/// <summary>
/// Converts an OIP <c>data</c> array (flat, or nested to the shape; row-major) to a tensor, and a
/// tensor back to a flat JSON array. Floats are written shortest-round-trip, so JSON answers are
/// bit-identical to the model's output once parsed back as the same type.
/// </summary>
public static class OipJson
{
    /// <summary>Reads <paramref name="data"/> as the elements of a tensor of <paramref name="type"/> and <paramref name="shape"/>.</summary>
    /// <param name="where">How errors name the tensor ("input 'x'").</param>
    /// <param name="type">The element type.</param>
    /// <param name="shape">The dimensions.</param>
    /// <param name="data">The JSON array, flat or nested.</param>
    /// <exception cref="OipException">The array is not one, holds another count, or an element does not fit the type.</exception>
    public static Tensor Read(string where, TensorElementType type, long[] shape, JsonElement data)
    {
        long count = Tensor.ElementCountOf(shape);
        if (data.ValueKind != JsonValueKind.Array)
        {
            throw new OipException($"{where}: \"data\" must be an array");
        }

        if (type == TensorElementType.String)
        {
            var strings = new List<string>();
            Flatten(data, e => strings.Add(e.ValueKind == JsonValueKind.String ? e.GetString()! : throw Bad(where, type, e)));
            CheckCount(where, shape, count, strings.Count);
            return Tensor.FromStrings([.. strings], shape);
        }

        int size = type.SizeOf();
        byte[] bytes = new byte[checked(count * size)];
        long index = 0;
        Flatten(data, e =>
        {
            if (index >= count)
            {
                index++;
                return;
            }

            Write(bytes.AsSpan(checked((int)(index * size)), size), type, e, where);
            index++;
        });
        CheckCount(where, shape, count, index);
        return Tensor.FromBytes(type, shape, bytes);
    }

    /// <summary>Writes a tensor's elements as a flat JSON array.</summary>
    public static void Write(Utf8JsonWriter writer, TensorElementType type, ReadOnlySpan<byte> data, string[]? strings)
    {
        writer.WriteStartArray();
        if (type == TensorElementType.String)
        {
            foreach (string s in strings!)
            {
                writer.WriteStringValue(s);
            }
        }
        else
        {
            int size = type.SizeOf();
            for (int offset = 0; offset + size <= data.Length; offset += size)
            {
                WriteElement(writer, type, data.Slice(offset, size));
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteElement(Utf8JsonWriter writer, TensorElementType type, ReadOnlySpan<byte> e)
    {
        switch (type)
        {
            case TensorElementType.Float: Float(writer, BinaryPrimitives.ReadSingleLittleEndian(e)); break;
            case TensorElementType.Double: Double(writer, BinaryPrimitives.ReadDoubleLittleEndian(e)); break;
            case TensorElementType.Float16: Float(writer, (float)BinaryPrimitives.ReadHalfLittleEndian(e)); break;
            case TensorElementType.BFloat16: Float(writer, FromBFloat16(BinaryPrimitives.ReadUInt16LittleEndian(e))); break;
            case TensorElementType.Int8: writer.WriteNumberValue((sbyte)e[0]); break;
            case TensorElementType.UInt8: writer.WriteNumberValue(e[0]); break;
            case TensorElementType.Int16: writer.WriteNumberValue(BinaryPrimitives.ReadInt16LittleEndian(e)); break;
            case TensorElementType.UInt16: writer.WriteNumberValue(BinaryPrimitives.ReadUInt16LittleEndian(e)); break;
            case TensorElementType.Int32: writer.WriteNumberValue(BinaryPrimitives.ReadInt32LittleEndian(e)); break;
            case TensorElementType.UInt32: writer.WriteNumberValue(BinaryPrimitives.ReadUInt32LittleEndian(e)); break;
            case TensorElementType.Int64: writer.WriteNumberValue(BinaryPrimitives.ReadInt64LittleEndian(e)); break;
            case TensorElementType.UInt64: writer.WriteNumberValue(BinaryPrimitives.ReadUInt64LittleEndian(e)); break;
            case TensorElementType.Bool: writer.WriteBooleanValue(e[0] != 0); break;
            default: throw new NotSupportedException($"{type} has no JSON form");
        }
    }

    // JSON has no NaN or infinities: they travel as the strings "NaN", "Infinity", "-Infinity".
    private static void Float(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static void Double(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static void Write(Span<byte> destination, TensorElementType type, JsonElement e, string where)
    {
        bool ok = type switch
        {
            TensorElementType.Float => TryFloat(e, out double f) && Put(destination, (float)f),
            TensorElementType.Double => TryFloat(e, out double d) && Put(destination, d),
            TensorElementType.Float16 => TryFloat(e, out double h) && Put(destination, (Half)h),
            TensorElementType.BFloat16 => TryFloat(e, out double b) && Put(destination, ToBFloat16((float)b)),
            TensorElementType.Int8 => e.ValueKind == JsonValueKind.Number && e.TryGetSByte(out sbyte i8) && Put(destination, i8),
            TensorElementType.UInt8 => e.ValueKind == JsonValueKind.Number && e.TryGetByte(out byte u8) && Put(destination, u8),
            TensorElementType.Int16 => e.ValueKind == JsonValueKind.Number && e.TryGetInt16(out short i16) && Put(destination, i16),
            TensorElementType.UInt16 => e.ValueKind == JsonValueKind.Number && e.TryGetUInt16(out ushort u16) && Put(destination, u16),
            TensorElementType.Int32 => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int i32) && Put(destination, i32),
            TensorElementType.UInt32 => e.ValueKind == JsonValueKind.Number && e.TryGetUInt32(out uint u32) && Put(destination, u32),
            TensorElementType.Int64 => e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out long i64) && Put(destination, i64),
            TensorElementType.UInt64 => e.ValueKind == JsonValueKind.Number && e.TryGetUInt64(out ulong u64) && Put(destination, u64),
            TensorElementType.Bool => e.ValueKind is JsonValueKind.True or JsonValueKind.False && Put(destination, (byte)(e.ValueKind == JsonValueKind.True ? 1 : 0)),
            _ => false,
        };
        if (!ok)
        {
            throw Bad(where, type, e);
        }
    }

    // bfloat16 is the upper half of a float32; round to nearest even: 0x3F80_8000 (1.00390625) → 0x3F80.
    private static ushort ToBFloat16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return (ushort)((bits >> 16) | 0x40);
        }

        uint rounding = 0x7FFF + ((bits >> 16) & 1);
        return (ushort)((bits + rounding) >> 16);
    }

    private static float FromBFloat16(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    private static bool TryFloat(JsonElement e, out double value)
    {
        if (e.ValueKind == JsonValueKind.Number)
        {
            return e.TryGetDouble(out value);
        }

        value = e.ValueKind == JsonValueKind.String ? e.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            _ => 0,
        } : 0;
        return e.ValueKind == JsonValueKind.String && (double.IsNaN(value) || double.IsInfinity(value));
    }

    private static bool Put<T>(Span<byte> destination, T value)
        where T : unmanaged
    {
        System.Runtime.InteropServices.MemoryMarshal.Write(destination, in value);
        return true;
    }

    private static void Flatten(JsonElement element, Action<JsonElement> each)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement child in element.EnumerateArray())
            {
                Flatten(child, each);
            }
        }
        else
        {
            each(element);
        }
    }

    private static void CheckCount(string where, long[] shape, long expected, long actual)
    {
        if (expected != actual)
        {
            throw new OipException($"{where}: shape {OipShapes.Text(shape)} holds {expected} elements, data has {actual}");
        }
    }

    private static OipException Bad(string where, TensorElementType type, JsonElement e) =>
        new($"{where}: {e.GetRawText()} is not a {type.ToOipName()} value");
}
