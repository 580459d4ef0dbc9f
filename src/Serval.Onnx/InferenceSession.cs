using Serval.Core.Tensors;
using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using Serval.Onnx.Native;

namespace Serval.Onnx;

/// <summary>
/// A loaded model. <see cref="Run(ReadOnlySpan{NamedTensor}, CancellationToken)"/> may be called from
/// several threads at once; <see cref="Dispose"/> does not wait, but runs in progress finish normally:
/// the native session is released when the last of them ends, and later runs throw <see cref="ObjectDisposedException"/>.
/// </summary>
public sealed unsafe class InferenceSession : IDisposable
{
    private readonly OrtSessionHandle _session;
    private readonly IntPtr[] _inputNames;
    private readonly IntPtr[] _outputNames;
    private readonly Dictionary<string, int> _inputIndex;
    private int _disposed;

    /// <summary>Loads <paramref name="modelPath"/>.</summary>
    /// <exception cref="OrtException">The file is missing, is not a model ORT can load, or the device cannot be used.</exception>
    public InferenceSession(string modelPath, SessionOptions? options = null)
    {
        options ??= new SessionOptions();
        ModelPath = modelPath;
        if (!File.Exists(modelPath))
        {
            throw new OrtException(OrtErrorCode.NoSuchFile, $"model file '{modelPath}' does not exist");
        }

        using (OrtSessionOptionsHandle native = CreateOptions(options))
        {
            byte[] path = Utf8(modelPath);
            fixed (byte* p = path)
            {
                _session = new OrtSessionHandle(OrtApi.CreateSession(OrtEnvironment.Handle.DangerousGetHandle(), p, native.DangerousGetHandle()));
            }
        }

        try
        {
            Inputs = ReadMetadata(_session, input: true, out _inputNames);
            Outputs = ReadMetadata(_session, input: false, out _outputNames);
        }
        catch
        {
            _session.Dispose();
            throw;
        }

        _inputIndex = new Dictionary<string, int>(Inputs.Count, StringComparer.Ordinal);
        for (int i = 0; i < Inputs.Count; i++)
        {
            _inputIndex[Inputs[i].Name] = i;
        }
    }

    /// <summary>The model file.</summary>
    public string ModelPath { get; }

    /// <summary>The model's inputs, in model order.</summary>
    public IReadOnlyList<TensorMetadata> Inputs { get; }

    /// <summary>The model's outputs, in model order.</summary>
    public IReadOnlyList<TensorMetadata> Outputs { get; }

    /// <summary>Runs the model and copies every output into managed memory.</summary>
    public NamedTensor[] Run(ReadOnlySpan<NamedTensor> inputs, CancellationToken cancellationToken = default)
    {
        using SessionOutputs outputs = RunRaw(inputs, cancellationToken);
        var result = new NamedTensor[outputs.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = new NamedTensor(outputs.Name(i), outputs.ToTensor(i));
        }

        return result;
    }

    /// <summary>
    /// Runs the model and returns the outputs in ONNX Runtime's memory, readable without a copy
    /// until the result is disposed. A cancelled token asks ORT to terminate the run.
    /// </summary>
    public SessionOutputs RunRaw(ReadOnlySpan<NamedTensor> inputs, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        int n = inputs.Length;
        IntPtr* names = stackalloc IntPtr[Math.Max(n, 1)];
        IntPtr* values = stackalloc IntPtr[Math.Max(n, 1)];
        MemoryHandle[] pins = ArrayPool<MemoryHandle>.Shared.Rent(Math.Max(n, 1));
        IntPtr[] outputs = new IntPtr[_outputNames.Length];
        OrtRunOptionsHandle? runOptions = null;
        CancellationTokenRegistration registration = default;
        bool added = false;
        int created = 0;
        try
        {
            _session.DangerousAddRef(ref added);
            for (; created < n; created++)
            {
                NamedTensor input = inputs[created];
                if (!_inputIndex.TryGetValue(input.Name, out int index))
                {
                    throw new OrtException(OrtErrorCode.InvalidArgument,
                        $"the model has no input named '{input.Name}'; its inputs are {string.Join(", ", Inputs.Select(i => i.Name))}");
                }

                names[created] = _inputNames[index];
                values[created] = CreateValue(input.Tensor, out pins[created]);
            }

            if (cancellationToken.CanBeCanceled)
            {
                runOptions = new OrtRunOptionsHandle(OrtApi.CreateRunOptions());
                OrtRunOptionsHandle captured = runOptions;
                registration = cancellationToken.Register(() => OrtApi.RunOptionsSetTerminate(captured.DangerousGetHandle()));
                cancellationToken.ThrowIfCancellationRequested();
            }

            fixed (IntPtr* outputNames = _outputNames)
            fixed (IntPtr* outputValues = outputs)
            {
                OrtApi.Run(_session.DangerousGetHandle(), runOptions?.DangerousGetHandle() ?? IntPtr.Zero,
                    names, values, (nuint)n, outputNames, (nuint)_outputNames.Length, outputValues);
            }

            // SessionOutputs owns the values from here on, also when its constructor throws (it then
            // releases them itself): clear ours first so the finally below does not release them twice.
            IntPtr[] produced = outputs;
            outputs = [];
            return new SessionOutputs(Outputs, produced);
        }
        catch (OrtException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("the run was cancelled", cancellationToken);
        }
        finally
        {
            registration.Dispose();
            runOptions?.Dispose();
            for (int i = 0; i < created; i++)
            {
                OrtApi.ReleaseValue(values[i]);
                pins[i].Dispose();
            }

            ArrayPool<MemoryHandle>.Shared.Return(pins, clearArray: true);
            foreach (IntPtr output in outputs)
            {
                OrtApi.ReleaseValue(output);
            }

            if (added)
            {
                _session.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Releases the session and the names it holds (once the last run in progress has finished).
    /// Safe to call more than once.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _session.Dispose();
    }

    private static IntPtr CreateValue(Tensor tensor, out MemoryHandle pin)
    {
        fixed (long* shape = tensor.Shape)
        {
            if (tensor.ElementType == TensorElementType.String)
            {
                pin = default;
                IntPtr value = OrtApi.CreateTensorAsOrtValue(OrtApi.GetAllocatorWithDefaultOptions(), shape, (nuint)tensor.Shape.Length, (int)TensorElementType.String);
                string[] strings = tensor.Strings!;
                IntPtr[] utf8 = new IntPtr[strings.Length];
                try
                {
                    for (int i = 0; i < strings.Length; i++)
                    {
                        utf8[i] = Marshal.StringToCoTaskMemUTF8(strings[i]);
                    }

                    fixed (IntPtr* p = utf8)
                    {
                        OrtApi.FillStringTensor(value, p, (nuint)utf8.Length);
                    }
                }
                catch
                {
                    OrtApi.ReleaseValue(value);
                    throw;
                }
                finally
                {
                    foreach (IntPtr p in utf8)
                    {
                        Marshal.FreeCoTaskMem(p);
                    }
                }

                return value;
            }

            // ORT does not copy: the data stays pinned until the value is released after the run.
            pin = tensor.Data.Pin();
            byte dummy = 0;
            void* data = tensor.Data.Length == 0 ? &dummy : pin.Pointer;
            return OrtApi.CreateTensorWithDataAsOrtValue(OrtEnvironment.CpuMemory.DangerousGetHandle(), data,
                (nuint)tensor.Data.Length, shape, (nuint)tensor.Shape.Length, (int)tensor.ElementType);
        }
    }

    private static OrtSessionOptionsHandle CreateOptions(SessionOptions options)
    {
        var handle = new OrtSessionOptionsHandle(OrtApi.CreateSessionOptions());
        try
        {
            IntPtr p = handle.DangerousGetHandle();
            OrtApi.SetIntraOpNumThreads(p, options.IntraOpThreads);
            OrtApi.SetInterOpNumThreads(p, 1);
            OrtApi.SetSessionGraphOptimizationLevel(p, options.GraphOptimizationLevel);
            fixed (byte* key = "session.intra_op.allow_spinning\0"u8)
            fixed (byte* value = options.AllowSpinning ? "1\0"u8 : "0\0"u8)
            {
                OrtApi.AddSessionConfigEntry(p, key, value);
            }

            if (options.OptimizedModelPath is { } optimized)
            {
                fixed (byte* path = Utf8(optimized))
                {
                    OrtApi.SetOptimizedModelFilePath(p, path);
                }
            }

            if (options.Device == ExecutionDevice.Cuda)
            {
                AppendCuda(p, options.DeviceId);
            }

            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static void AppendCuda(IntPtr options, int deviceId)
    {
        try
        {
            using var cuda = new OrtCudaOptionsHandle(OrtApi.CreateCudaProviderOptions());
            IntPtr key = Marshal.StringToCoTaskMemUTF8("device_id");
            IntPtr value = Marshal.StringToCoTaskMemUTF8(deviceId.ToString());
            try
            {
                OrtApi.UpdateCudaProviderOptions(cuda.DangerousGetHandle(), &key, &value, 1);
            }
            finally
            {
                Marshal.FreeCoTaskMem(key);
                Marshal.FreeCoTaskMem(value);
            }

            OrtApi.AppendCudaProvider(options, cuda.DangerousGetHandle());
        }
        catch (OrtException e)
        {
            throw new OrtException(e.Code,
                $"the CUDA execution provider cannot be used with ONNX Runtime at '{OrtLibrary.Path}': {e.Message}. " +
                "Point SERVAL_ORT_LIB at a GPU build of ONNX Runtime (with libonnxruntime_providers_cuda.so beside it), or run on the CPU");
        }
    }

    private static List<TensorMetadata> ReadMetadata(OrtSessionHandle handle, bool input, out IntPtr[] names)
    {
        IntPtr session = handle.DangerousGetHandle();
        nuint count = input ? OrtApi.SessionGetInputCount(session) : OrtApi.SessionGetOutputCount(session);
        IntPtr allocator = OrtApi.GetAllocatorWithDefaultOptions();
        names = new IntPtr[(int)count];
        var result = new List<TensorMetadata>((int)count);
        for (int i = 0; i < (int)count; i++)
        {
            names[i] = OrtApi.SessionGetName(session, (nuint)i, input, allocator);
            handle.OwnedNames.Add(names[i]);
            string name = Marshal.PtrToStringUTF8(names[i]) ?? "";
            using var typeInfo = new OrtTypeInfoHandle(OrtApi.SessionGetTypeInfo(session, (nuint)i, input));
            // ONNXType 1 = tensor; sequences, maps and optionals are described as Undefined.
            if (OrtApi.GetOnnxTypeFromTypeInfo(typeInfo.DangerousGetHandle()) != 1)
            {
                result.Add(new TensorMetadata(name, TensorElementType.Undefined, [], []));
                continue;
            }

            IntPtr tensorInfo = OrtApi.CastTypeInfoToTensorInfo(typeInfo.DangerousGetHandle());
            var (type, shape, symbolic) = ReadTensorInfo(tensorInfo);
            result.Add(new TensorMetadata(name, type, shape, symbolic));
        }

        return result;
    }

    internal static (TensorElementType Type, long[] Shape, string[] Symbolic) ReadTensorInfo(IntPtr tensorInfo)
    {
        var type = (TensorElementType)OrtApi.GetTensorElementType(tensorInfo);
        int rank = (int)OrtApi.GetDimensionsCount(tensorInfo);
        long[] shape = new long[rank];
        IntPtr[] symbolic = new IntPtr[rank];
        fixed (long* s = shape)
        fixed (IntPtr* sym = symbolic)
        {
            OrtApi.GetDimensions(tensorInfo, s, (nuint)rank);
            OrtApi.GetSymbolicDimensions(tensorInfo, sym, (nuint)rank);
        }

        string[] names = new string[rank];
        for (int d = 0; d < rank; d++)
        {
            names[d] = symbolic[d] == IntPtr.Zero ? "" : Marshal.PtrToStringUTF8(symbolic[d]) ?? "";
        }

        return (type, shape, names);
    }

    private static byte[] Utf8(string s)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
        Encoding.UTF8.GetBytes(s, bytes);
        return bytes;
    }
}
