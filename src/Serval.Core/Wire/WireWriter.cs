using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Serval.Core.Wire;

/// <summary>
/// Builds one frame in a rented buffer: reserve the header, write the body, then
/// <see cref="Complete"/> fills the header in. Dispose returns the buffer to the pool.
/// </summary>
public sealed class WireWriter : IDisposable
{
    private byte[] _buffer;
    private int _position;
    private List<(int Offset, ReadOnlyMemory<byte> Data)>? _external;
    private int _externalLength;
    private IDisposable? _owner;

    /// <summary>Starts a frame of <paramref name="kind"/> for invocation <paramref name="id"/>.</summary>
    public WireWriter(FrameKind kind, ulong id, int sizeHint = 256)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(sizeHint + Frame.HeaderSize, 256));
        Kind = kind;
        Id = id;
        _position = Frame.HeaderSize;
    }

    /// <summary>The frame kind.</summary>
    public FrameKind Kind { get; }

    /// <summary>The invocation id.</summary>
    public ulong Id { get; }

    /// <summary>True when the frame holds bytes outside its buffer (see <see cref="WriteTensorExternal"/>).</summary>
    public bool HasExternal => _external is not null;

    /// <summary>Fills in the header and returns the whole frame (valid until disposal).</summary>
    public ReadOnlyMemory<byte> Complete()
    {
        if (_external is not null)
        {
            throw new InvalidOperationException("the frame holds external segments: send it with CompleteInto");
        }

        Frame.WriteHeader(_buffer, Kind, Id, _position - Frame.HeaderSize);
        return _buffer.AsMemory(0, _position);
    }

    /// <summary>
    /// Fills in the header and appends the frame's pieces, in order, to <paramref name="segments"/>:
    /// its own buffer interleaved with the external segments (valid until disposal).
    /// </summary>
    public void CompleteInto(List<ReadOnlyMemory<byte>> segments)
    {
        Frame.WriteHeader(_buffer, Kind, Id, checked(_position - Frame.HeaderSize + _externalLength));
        int start = 0;
        foreach (var (offset, data) in _external ?? [])
        {
            segments.Add(_buffer.AsMemory(start, offset - start));
            segments.Add(data);
            start = offset;
        }

        segments.Add(_buffer.AsMemory(start, _position - start));
    }

    /// <summary>
    /// Appends a numeric tensor whose elements stay where they are (e.g. in ONNX Runtime's output
    /// memory): they are sent straight from there, saving a copy of every output. The memory must stay
    /// valid until this writer is disposed; <see cref="Own"/> ties its owner's lifetime to the writer.
    /// </summary>
    public void WriteTensorExternal(string name, Serval.Core.Tensors.TensorElementType type, ReadOnlySpan<long> shape, ReadOnlyMemory<byte> data)
    {
        WriteTensorHead(name, type, shape);
        WriteUInt64((ulong)data.Length);
        (_external ??= []).Add((_position, data));
        _externalLength = checked(_externalLength + data.Length);
    }

    /// <summary>Disposes <paramref name="owner"/> when this writer is disposed.</summary>
    public void Own(IDisposable owner) => _owner = owner;

    /// <summary>Appends one byte.</summary>
    public void WriteByte(byte value) => Reserve(1)[0] = value;

    /// <summary>Appends a little-endian u16.</summary>
    public void WriteUInt16(ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Reserve(2), value);

    /// <summary>Appends a little-endian u32.</summary>
    public void WriteUInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);

    /// <summary>Appends a little-endian i64.</summary>
    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), value);

    /// <summary>Appends a little-endian u64.</summary>
    public void WriteUInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);

    /// <summary>Appends a u32 length and the UTF-8 bytes of <paramref name="value"/>.</summary>
    public void WriteString(string value)
    {
        int length = Encoding.UTF8.GetByteCount(value);
        WriteUInt32((uint)length);
        Encoding.UTF8.GetBytes(value, Reserve(length));
    }

    /// <summary>Appends raw bytes with no length prefix.</summary>
    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    /// <summary>Appends a tensor whose elements are given as raw bytes (numeric types).</summary>
    public void WriteTensor(string name, Serval.Core.Tensors.TensorElementType type, ReadOnlySpan<long> shape, ReadOnlySpan<byte> data)
    {
        WriteTensorHead(name, type, shape);
        WriteUInt64((ulong)data.Length);
        WriteBytes(data);
    }

    /// <summary>Appends a string tensor.</summary>
    public void WriteStringTensor(string name, ReadOnlySpan<long> shape, string[] values)
    {
        WriteTensorHead(name, Serval.Core.Tensors.TensorElementType.String, shape);
        WriteUInt32((uint)values.Length);
        foreach (string value in values)
        {
            WriteString(value);
        }
    }

    /// <summary>Appends a managed tensor.</summary>
    public void WriteTensor(Serval.Core.Tensors.NamedTensor tensor)
    {
        if (tensor.Tensor.ElementType == Serval.Core.Tensors.TensorElementType.String)
        {
            WriteStringTensor(tensor.Name, tensor.Tensor.Shape, tensor.Tensor.Strings!);
        }
        else
        {
            WriteTensor(tensor.Name, tensor.Tensor.ElementType, tensor.Tensor.Shape, tensor.Tensor.Data.Span);
        }
    }

    private void WriteTensorHead(string name, Serval.Core.Tensors.TensorElementType type, ReadOnlySpan<long> shape)
    {
        WriteString(name);
        WriteByte((byte)type);
        WriteByte(checked((byte)shape.Length));
        foreach (long d in shape)
        {
            WriteInt64(d);
        }
    }

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        Interlocked.Exchange(ref _owner, null)?.Dispose();
        byte[] buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private Span<byte> Reserve(int count)
    {
        if (_position + count > _buffer.Length)
        {
            int size = Math.Max(_buffer.Length * 2, _position + count);
            byte[] bigger = ArrayPool<byte>.Shared.Rent(size);
            _buffer.AsSpan(0, _position).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        Span<byte> span = _buffer.AsSpan(_position, count);
        _position += count;
        return span;
    }
}
