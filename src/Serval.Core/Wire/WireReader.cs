using System.Buffers.Binary;
using System.Text;
using Serval.Core.Tensors;

namespace Serval.Core.Wire;

/// <summary>
/// Reads a frame body. Tensors read from it share the body's memory (no copy), so the body must
/// not be reused while they live. Truncated or inconsistent input throws <see cref="InvalidDataException"/>.
/// </summary>
public struct WireReader(ReadOnlyMemory<byte> body)
{
    private readonly ReadOnlyMemory<byte> _body = body;
    private int _position;

    /// <summary>Bytes not read yet.</summary>
    public readonly int Remaining => _body.Length - _position;

    /// <summary>Reads one byte.</summary>
    public byte ReadByte() => Take(1)[0];

    /// <summary>Reads a little-endian u16.</summary>
    public ushort ReadUInt16() => BinaryPrimitives.ReadUInt16LittleEndian(Take(2));

    /// <summary>Reads a little-endian u32.</summary>
    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    /// <summary>Reads a little-endian i64.</summary>
    public long ReadInt64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    /// <summary>Reads a little-endian u64.</summary>
    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    /// <summary>Reads a length-prefixed UTF-8 string.</summary>
    public string ReadString() => Encoding.UTF8.GetString(Take(CheckedLength(ReadUInt32())));

    /// <summary>Reads <paramref name="count"/> raw bytes without copying.</summary>
    public ReadOnlyMemory<byte> ReadBytes(int count)
    {
        if (count < 0 || count > Remaining)
        {
            throw new InvalidDataException($"frame ends early: {count} bytes wanted, {Remaining} left");
        }

        ReadOnlyMemory<byte> slice = _body.Slice(_position, count);
        _position += count;
        return slice;
    }

    /// <summary>Reads the rest of the body without copying.</summary>
    public ReadOnlyMemory<byte> ReadRest() => ReadBytes(Remaining);

    /// <summary>Reads one tensor.</summary>
    public NamedTensor ReadTensor()
    {
        string name = ReadString();
        var type = (TensorElementType)ReadByte();
        int rank = ReadByte();
        long[] shape = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            shape[i] = ReadInt64();
        }

        if (type == TensorElementType.String)
        {
            int count = CheckedLength(ReadUInt32());
            var values = new string[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = ReadString();
            }

            return new NamedTensor(name, Tensor.FromStrings(values, shape));
        }

        if (type.SizeOf() == 0)
        {
            throw new InvalidDataException($"tensor '{name}' has unknown element type {(int)type}");
        }

        ulong length = ReadUInt64();
        if (length > (ulong)Remaining)
        {
            throw new InvalidDataException($"tensor '{name}' claims {length} bytes, {Remaining} left");
        }

        return new NamedTensor(name, Tensor.FromBytes(type, shape, ReadBytes((int)length)));
    }

    private int CheckedLength(uint length)
    {
        if (length > (uint)Remaining)
        {
            throw new InvalidDataException($"frame ends early: {length} bytes wanted, {Remaining} left");
        }

        return (int)length;
    }

    private ReadOnlySpan<byte> Take(int count) => ReadBytes(count).Span;
}
