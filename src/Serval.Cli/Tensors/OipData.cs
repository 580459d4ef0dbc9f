using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Serval.Cli.Tensors;

/// <summary>
/// Converts tensor elements between the raw little-endian form of the binary extension and the
/// JSON <c>data</c> arrays of the Open Inference Protocol. Pure.
/// </summary>
public static class OipData
{
    /// <summary>The datatypes of the Open Inference Protocol.</summary>
    public static IReadOnlyList<string> Datatypes { get; } =
        ["BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "BF16", "FP32", "FP64", "BYTES"];

    /// <summary>Bytes per element of <paramref name="datatype"/>; false for <c>BYTES</c> (variable) and unknown names.</summary>
    public static bool TryGetElementSize(string datatype, out int size)
    {
        size = datatype switch
        {
            "BOOL" or "UINT8" or "INT8" => 1,
            "UINT16" or "INT16" or "FP16" or "BF16" => 2,
            "UINT32" or "INT32" or "FP32" => 4,
            "UINT64" or "INT64" or "FP64" => 8,
            _ => 0,
        };
        return size > 0;
    }

    /// <summary>
    /// The raw elements of a JSON <c>data</c> value, flat or nested (row-major); numbers for numeric
    /// types, true/false for <c>BOOL</c>, strings for <c>BYTES</c>.
    /// </summary>
    /// <exception cref="FormatException">The count is not <paramref name="elementCount"/>, or an element does not fit the datatype.</exception>
    public static byte[] FromJson(string datatype, JsonNode? data, long elementCount)
    {
        var elements = new List<JsonNode?>();
        Flatten(data, elements);
        if (elements.Count != elementCount)
        {
            throw new FormatException($"the data has {elements.Count} elements, the shape needs {elementCount}");
        }

        if (datatype == "BYTES")
        {
            using var buffer = new MemoryStream();
            Span<byte> length = stackalloc byte[4];
            foreach (var element in elements)
            {
                byte[] bytes = Encoding.UTF8.GetBytes(Get<string>(element, datatype));
                BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)bytes.Length);
                buffer.Write(length);
                buffer.Write(bytes);
            }

            return buffer.ToArray();
        }

        if (!TryGetElementSize(datatype, out int size))
        {
            throw new FormatException($"unknown datatype '{datatype}'");
        }

        byte[] raw = new byte[elements.Count * size];
        for (int i = 0; i < elements.Count; i++)
        {
            Write(raw.AsSpan(i * size, size), datatype, elements[i]);
        }

        return raw;
    }

    /// <summary>The elements of <paramref name="tensor"/> as a flat JSON array (Triton's answer form).</summary>
    public static JsonArray ToJson(OipTensor tensor)
    {
        var array = new JsonArray();
        ReadOnlySpan<byte> data = tensor.Data.Span;
        if (tensor.Datatype == "BYTES")
        {
            foreach (var bytes in SplitBytes(data))
            {
                array.Add(JsonValue.Create(Encoding.UTF8.GetString(bytes)));
            }

            return array;
        }

        int size = ElementSize(tensor.Datatype);
        for (int offset = 0; offset + size <= data.Length; offset += size)
        {
            array.Add(Read(data.Slice(offset, size), tensor.Datatype));
        }

        return array;
    }

    /// <summary>The elements as numbers (true → 1), for summaries; null for <c>BYTES</c>.</summary>
    public static double[]? ToDoubles(OipTensor tensor)
    {
        if (tensor.Datatype == "BYTES")
        {
            return null;
        }

        int size = ElementSize(tensor.Datatype);
        ReadOnlySpan<byte> data = tensor.Data.Span;
        double[] values = new double[data.Length / size];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = ReadDouble(data.Slice(i * size, size), tensor.Datatype);
        }

        return values;
    }

    /// <summary>The elements of a <c>BYTES</c> tensor: each is a 4-byte little-endian length, then the bytes.</summary>
    /// <exception cref="FormatException">A length runs past the end of the data.</exception>
    public static List<byte[]> SplitBytes(ReadOnlySpan<byte> data)
    {
        var elements = new List<byte[]>();
        while (data.Length > 0)
        {
            if (data.Length < 4)
            {
                throw new FormatException("a BYTES element is cut short");
            }

            int length = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(data));
            if (data.Length - 4 < length)
            {
                throw new FormatException("a BYTES element is cut short");
            }

            elements.Add(data.Slice(4, length).ToArray());
            data = data[(4 + length)..];
        }

        return elements;
    }

    private static int ElementSize(string datatype) =>
        TryGetElementSize(datatype, out int size) ? size : throw new FormatException($"unknown datatype '{datatype}'");

    private static void Flatten(JsonNode? node, List<JsonNode?> into)
    {
        if (node is JsonArray array)
        {
            foreach (var child in array)
            {
                Flatten(child, into);
            }
        }
        else
        {
            into.Add(node);
        }
    }

    private static T Get<T>(JsonNode? node, string datatype)
    {
        if (node is JsonValue value)
        {
            if (value.TryGetValue(out T? direct))
            {
                return direct;
            }

            try
            {
                // A value built in code (JsonValue.Create(1.5f)) converts through its JSON text.
                T? converted = JsonSerializer.Deserialize<T>(value);
                if (converted is not null)
                {
                    return converted;
                }
            }
            catch (JsonException)
            {
            }
        }

        throw new FormatException($"'{node?.ToJsonString() ?? "null"}' is not a {datatype} value");
    }

    private static void Write(Span<byte> dest, string datatype, JsonNode? node)
    {
        switch (datatype)
        {
            case "BOOL": dest[0] = Get<bool>(node, datatype) ? (byte)1 : (byte)0; break;
            case "UINT8": dest[0] = Get<byte>(node, datatype); break;
            case "INT8": dest[0] = unchecked((byte)Get<sbyte>(node, datatype)); break;
            case "UINT16": BinaryPrimitives.WriteUInt16LittleEndian(dest, Get<ushort>(node, datatype)); break;
            case "INT16": BinaryPrimitives.WriteInt16LittleEndian(dest, Get<short>(node, datatype)); break;
            case "UINT32": BinaryPrimitives.WriteUInt32LittleEndian(dest, Get<uint>(node, datatype)); break;
            case "INT32": BinaryPrimitives.WriteInt32LittleEndian(dest, Get<int>(node, datatype)); break;
            case "UINT64": BinaryPrimitives.WriteUInt64LittleEndian(dest, Get<ulong>(node, datatype)); break;
            case "INT64": BinaryPrimitives.WriteInt64LittleEndian(dest, Get<long>(node, datatype)); break;
            case "FP16": BinaryPrimitives.WriteHalfLittleEndian(dest, (Half)Get<float>(node, datatype)); break;
            case "BF16": BinaryPrimitives.WriteUInt16LittleEndian(dest, ToBFloat16(Get<float>(node, datatype))); break;
            case "FP32": BinaryPrimitives.WriteSingleLittleEndian(dest, Get<float>(node, datatype)); break;
            case "FP64": BinaryPrimitives.WriteDoubleLittleEndian(dest, Get<double>(node, datatype)); break;
            default: throw new FormatException($"unknown datatype '{datatype}'");
        }
    }

    private static JsonNode Read(ReadOnlySpan<byte> src, string datatype) => datatype switch
    {
        "BOOL" => JsonValue.Create(src[0] != 0),
        "UINT8" => JsonValue.Create(src[0]),
        "INT8" => JsonValue.Create(unchecked((sbyte)src[0])),
        "UINT16" => JsonValue.Create(BinaryPrimitives.ReadUInt16LittleEndian(src)),
        "INT16" => JsonValue.Create(BinaryPrimitives.ReadInt16LittleEndian(src)),
        "UINT32" => JsonValue.Create(BinaryPrimitives.ReadUInt32LittleEndian(src)),
        "INT32" => JsonValue.Create(BinaryPrimitives.ReadInt32LittleEndian(src)),
        "UINT64" => JsonValue.Create(BinaryPrimitives.ReadUInt64LittleEndian(src)),
        "INT64" => JsonValue.Create(BinaryPrimitives.ReadInt64LittleEndian(src)),
        // float keeps its shortest round-trip text (0.1f prints as 0.1, not 0.10000000149011612).
        "FP16" => JsonValue.Create((float)BinaryPrimitives.ReadHalfLittleEndian(src)),
        "BF16" => JsonValue.Create(FromBFloat16(BinaryPrimitives.ReadUInt16LittleEndian(src))),
        "FP32" => JsonValue.Create(BinaryPrimitives.ReadSingleLittleEndian(src)),
        "FP64" => JsonValue.Create(BinaryPrimitives.ReadDoubleLittleEndian(src)),
        _ => throw new FormatException($"unknown datatype '{datatype}'"),
    };

    private static double ReadDouble(ReadOnlySpan<byte> src, string datatype) => datatype switch
    {
        "BOOL" => src[0] != 0 ? 1 : 0,
        "UINT8" => src[0],
        "INT8" => unchecked((sbyte)src[0]),
        "UINT16" => BinaryPrimitives.ReadUInt16LittleEndian(src),
        "INT16" => BinaryPrimitives.ReadInt16LittleEndian(src),
        "UINT32" => BinaryPrimitives.ReadUInt32LittleEndian(src),
        "INT32" => BinaryPrimitives.ReadInt32LittleEndian(src),
        "UINT64" => BinaryPrimitives.ReadUInt64LittleEndian(src),
        "INT64" => BinaryPrimitives.ReadInt64LittleEndian(src),
        "FP16" => (double)BinaryPrimitives.ReadHalfLittleEndian(src),
        "BF16" => FromBFloat16(BinaryPrimitives.ReadUInt16LittleEndian(src)),
        "FP32" => BinaryPrimitives.ReadSingleLittleEndian(src),
        "FP64" => BinaryPrimitives.ReadDoubleLittleEndian(src),
        _ => throw new FormatException($"unknown datatype '{datatype}'"),
    };

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
}
