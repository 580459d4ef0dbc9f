using Serval.Core.Tensors;
using System.Runtime.InteropServices;
using System.Text;
using Serval.Onnx.Native;

namespace Serval.Onnx;

/// <summary>
/// The outputs of one run, still in ONNX Runtime's memory. <see cref="Data"/> reads them without a
/// copy; everything is released on <see cref="Dispose"/>.
/// </summary>
public sealed unsafe class SessionOutputs : IDisposable
{
    private readonly IReadOnlyList<TensorMetadata> _metadata;
    private readonly OrtValueHandle[] _values;
    private readonly (TensorElementType Type, long[] Shape)[] _info;

    internal SessionOutputs(IReadOnlyList<TensorMetadata> metadata, IntPtr[] values)
    {
        _metadata = metadata;
        _values = new OrtValueHandle[values.Length];
        _info = new (TensorElementType, long[])[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            _values[i] = new OrtValueHandle(values[i]);
        }

        // This object owns every value from the start: whatever fails below releases them all, once.
        try
        {
            for (int i = 0; i < values.Length; i++)
            {
                if (!OrtApi.IsTensor(values[i]))
                {
                    throw new OrtException(OrtErrorCode.NotImplemented, $"output '{metadata[i].Name}' is not a tensor; Serval serves tensor outputs only");
                }

                using var info = new OrtTensorInfoHandle(OrtApi.GetTensorTypeAndShape(values[i]));
                var (type, shape, _) = InferenceSession.ReadTensorInfo(info.DangerousGetHandle());
                _info[i] = (type, shape);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The number of outputs.</summary>
    public int Count => _values.Length;

    /// <summary>The name of output <paramref name="index"/>.</summary>
    public string Name(int index) => _metadata[index].Name;

    /// <summary>The element type of output <paramref name="index"/>.</summary>
    public TensorElementType ElementType(int index) => _info[index].Type;

    /// <summary>The shape of output <paramref name="index"/>.</summary>
    public long[] Shape(int index) => _info[index].Shape;

    /// <summary>The raw elements of numeric output <paramref name="index"/>, valid until disposal.</summary>
    public ReadOnlySpan<byte> Data(int index)
    {
        var (type, shape) = _info[index];
        if (type == TensorElementType.String)
        {
            throw new InvalidOperationException($"output '{Name(index)}' holds strings: read it with Strings()");
        }

        long length = Tensor.ElementCountOf(shape) * type.SizeOf();
        if (length == 0)
        {
            return [];
        }

        void* data = OrtApi.GetTensorMutableData(_values[index].DangerousGetHandle());
        return new ReadOnlySpan<byte>(data, checked((int)length));
    }

    /// <summary>
    /// The raw elements of numeric output <paramref name="index"/> as memory (for asynchronous writes
    /// without a copy), valid until disposal.
    /// </summary>
    public ReadOnlyMemory<byte> DataMemory(int index)
    {
        ReadOnlySpan<byte> span = Data(index);
        if (span.IsEmpty)
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        fixed (byte* p = span)
        {
            return new NativeMemory(p, span.Length).Memory;
        }
    }

    /// <summary>Memory over ORT-owned bytes; never pins or frees them (the outputs own them).</summary>
    private sealed class NativeMemory(byte* pointer, int length) : System.Buffers.MemoryManager<byte>
    {
        public override Span<byte> GetSpan() => new(pointer, length);

        public override System.Buffers.MemoryHandle Pin(int elementIndex = 0) => new(pointer + elementIndex);

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }

    /// <summary>The elements of string output <paramref name="index"/>.</summary>
    public string[] Strings(int index)
    {
        IntPtr value = _values[index].DangerousGetHandle();
        int count = checked((int)Tensor.ElementCountOf(_info[index].Shape));
        nuint length = OrtApi.GetStringTensorDataLength(value);
        byte[] buffer = new byte[(int)length];
        nuint[] offsets = new nuint[count];
        fixed (byte* b = buffer)
        fixed (nuint* o = offsets)
        {
            OrtApi.GetStringTensorContent(value, b, length, o, (nuint)count);
        }

        var result = new string[count];
        for (int i = 0; i < count; i++)
        {
            int start = (int)offsets[i];
            int end = i + 1 < count ? (int)offsets[i + 1] : buffer.Length;
            result[i] = Encoding.UTF8.GetString(buffer, start, end - start);
        }

        return result;
    }

    /// <summary>Copies output <paramref name="index"/> into a managed tensor.</summary>
    public Tensor ToTensor(int index) => _info[index].Type == TensorElementType.String
        ? Tensor.FromStrings(Strings(index), _info[index].Shape)
        : Tensor.FromBytes(_info[index].Type, _info[index].Shape, Data(index).ToArray());

    /// <summary>Releases the native outputs.</summary>
    public void Dispose()
    {
        foreach (OrtValueHandle value in _values)
        {
            value?.Dispose();
        }
    }
}
