using Microsoft.ML.OnnxRuntime;
using Serval.Core.Tensors;

namespace Serval.Onnx;

/// <summary>
/// The outputs of one run, still in ONNX Runtime's memory. <see cref="Data"/> reads them without a
/// copy; everything is released on <see cref="Dispose"/>. Holds its session open until then.
/// </summary>
public sealed unsafe class SessionOutputs : IDisposable
{
    private readonly InferenceSession _session;
    private readonly IReadOnlyList<TensorMetadata> _metadata;
    private readonly IDisposableReadOnlyCollection<OrtValue> _values;
    private readonly OrtValue[] _byIndex;
    private readonly (TensorElementType Type, long[] Shape)[] _info;
    private int _disposed;

    /// <summary>Takes ownership of <paramref name="values"/> and of one reference on <paramref name="session"/>.</summary>
    internal SessionOutputs(InferenceSession session, IReadOnlyList<TensorMetadata> metadata, IDisposableReadOnlyCollection<OrtValue> values)
    {
        _session = session;
        _metadata = metadata;
        _values = values;
        _byIndex = [.. values];
        _info = new (TensorElementType, long[])[_byIndex.Length];

        // This object owns every value from the start: whatever fails below releases them all, once.
        try
        {
            for (int i = 0; i < _byIndex.Length; i++)
            {
                if (_byIndex[i].OnnxType != OnnxValueType.ONNX_TYPE_TENSOR)
                {
                    throw new OrtException(OrtErrorCode.NotImplemented, $"output '{metadata[i].Name}' is not a tensor; Serval serves tensor outputs only");
                }

                OrtTensorTypeAndShapeInfo info = _byIndex[i].GetTensorTypeAndShape();
                _info[i] = ((TensorElementType)(int)info.ElementDataType, info.Shape);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The number of outputs.</summary>
    public int Count => _byIndex.Length;

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

        return Tensor.ElementCountOf(shape) == 0 ? [] : _byIndex[index].GetTensorMutableRawData();
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
            // ORT's memory does not move: the pointer stays valid after the fixed block, until disposal.
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
    public string[] Strings(int index) => _byIndex[index].GetStringTensorAsArray();

    /// <summary>Copies output <paramref name="index"/> into a managed tensor.</summary>
    public Tensor ToTensor(int index) => _info[index].Type == TensorElementType.String
        ? Tensor.FromStrings(Strings(index), _info[index].Shape)
        : Tensor.FromBytes(_info[index].Type, _info[index].Shape, Data(index).ToArray());

    /// <summary>Releases the native outputs and this result's hold on the session.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _values.Dispose();
        _session.ReleaseReference();
    }
}
