using System.Text;

namespace Serval.TestSupport.Onnx;

/// <summary>
/// Just enough of the protobuf wire format to write ONNX models: varints (wire type 0) and
/// length-delimited fields (wire type 2: strings, bytes, nested messages). A nested message is
/// written by a callback into a fresh writer whose bytes become the field's payload.
/// </summary>
public sealed class ProtoWriter
{
    private readonly MemoryStream _stream = new();

    /// <summary>An int32/int64/enum field (varint; negative numbers take 10 bytes, as protobuf specifies).</summary>
    public ProtoWriter Varint(int field, long value)
    {
        Tag(field, 0);
        WriteVarint(unchecked((ulong)value));
        return this;
    }

    /// <summary>A string field, UTF-8.</summary>
    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>A bytes field.</summary>
    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, 2);
        WriteVarint((ulong)value.Length);
        _stream.Write(value);
        return this;
    }

    /// <summary>A nested message field.</summary>
    public ProtoWriter Message(int field, Action<ProtoWriter> write)
    {
        var nested = new ProtoWriter();
        write(nested);
        return Bytes(field, nested.ToArray());
    }

    /// <summary>The bytes written so far.</summary>
    public byte[] ToArray() => _stream.ToArray();

    private void Tag(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    private void WriteVarint(ulong value)
    {
        // 300 = 0b1_0010_1100 → 0xAC 0x02: seven bits at a time, low group first, high bit = "more".
        while (value >= 0x80)
        {
            _stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _stream.WriteByte((byte)value);
    }
}
