using System.Buffers;
using Microsoft.ML.OnnxRuntime;
using Serval.Core.Tensors;
using Ort = Microsoft.ML.OnnxRuntime;

namespace Serval.Onnx;

/// <summary>
/// A loaded model: the official <see cref="Ort.InferenceSession"/> with Serval's conventions —
/// threads and spinning from <see cref="SessionOptions"/>, the graph cache, metadata with symbolic
/// dimensions, inputs passed to ORT without a copy, outputs read in ORT's memory, every failure an
/// <see cref="OrtException"/> with ORT's own message.
/// <see cref="RunRaw(ReadOnlySpan{NamedTensor}, CancellationToken)"/> may be called from several
/// threads at once; <see cref="Dispose"/> does not wait, but runs in progress (and the outputs they
/// returned) finish normally: the native session is released when the last of them lets go, and
/// later runs throw <see cref="ObjectDisposedException"/>.
/// </summary>
public sealed class InferenceSession : IDisposable
{
    private readonly Ort.InferenceSession _session;
    private readonly string[] _outputNames;
    private readonly HashSet<string> _inputNames;
    private int _references = 1; // the owner's, given back by Dispose; each run and each SessionOutputs hold one more
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

        OrtEnvironment.Initialize();
        using (Ort.SessionOptions native = SessionOptionsBuilder.Build(options))
        {
            try
            {
                _session = new Ort.InferenceSession(modelPath, native);
            }
            catch (OnnxRuntimeException e)
            {
                throw OrtException.From(e);
            }
        }

        try
        {
            Inputs = ReadMetadata(_session.InputNames, _session.InputMetadata);
            Outputs = ReadMetadata(_session.OutputNames, _session.OutputMetadata);
        }
        catch
        {
            _session.Dispose();
            throw;
        }

        _outputNames = [.. _session.OutputNames];
        _inputNames = new HashSet<string>(_session.InputNames, StringComparer.Ordinal);
    }

    /// <summary>The model file.</summary>
    public string ModelPath { get; }

    /// <summary>The model's inputs, in model order.</summary>
    public IReadOnlyList<TensorMetadata> Inputs { get; }

    /// <summary>The model's outputs, in model order.</summary>
    public IReadOnlyList<TensorMetadata> Outputs { get; }

    /// <summary>
    /// The official session, for handlers that want ONNX Runtime's own API (IOBinding, OrtValue).
    /// Valid until this session is disposed; runs made through it are not counted by <see cref="Dispose"/>.
    /// </summary>
    public Ort.InferenceSession OrtSession => _session;

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
    /// until the result is disposed. Inputs are handed to ORT in place (pinned for the run). A
    /// cancelled token asks ORT to terminate the run.
    /// </summary>
    public SessionOutputs RunRaw(ReadOnlySpan<NamedTensor> inputs, CancellationToken cancellationToken = default)
    {
        AddReference();
        int n = inputs.Length;
        var names = new string[n];
        var values = new OrtValue[n];
        MemoryHandle[] pins = ArrayPool<MemoryHandle>.Shared.Rent(Math.Max(n, 1));
        int created = 0;
        bool handedOver = false;
        RunOptions? runOptions = null;
        CancellationTokenRegistration registration = default;
        try
        {
            for (; created < n; created++)
            {
                NamedTensor input = inputs[created];
                if (!_inputNames.Contains(input.Name))
                {
                    throw new OrtException(OrtErrorCode.InvalidArgument,
                        $"the model has no input named '{input.Name}'; its inputs are {string.Join(", ", _session.InputNames)}");
                }

                names[created] = input.Name;
                values[created] = OrtValues.Create(input.Tensor, out pins[created]);
            }

            runOptions = new RunOptions();
            if (cancellationToken.CanBeCanceled)
            {
                RunOptions captured = runOptions;
                registration = cancellationToken.Register(() => captured.Terminate = true);
                cancellationToken.ThrowIfCancellationRequested();
            }

            IDisposableReadOnlyCollection<OrtValue> produced = _session.Run(runOptions, names, values, _outputNames);
            handedOver = true; // SessionOutputs gives the reference back, also when its constructor throws
            return new SessionOutputs(this, Outputs, produced);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("the run was cancelled", cancellationToken);
        }
        catch (OnnxRuntimeException e)
        {
            throw OrtException.From(e);
        }
        finally
        {
            registration.Dispose();
            runOptions?.Dispose();
            for (int i = 0; i < created; i++)
            {
                values[i].Dispose();
                pins[i].Dispose();
            }

            ArrayPool<MemoryHandle>.Shared.Return(pins, clearArray: true);
            if (!handedOver)
            {
                ReleaseReference();
            }
        }
    }

    /// <summary>
    /// Releases the session (once the last run in progress, and the outputs it returned, have
    /// finished). Safe to call more than once.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            ReleaseReference();
        }
    }

    /// <summary>Takes a reference for a run; throws when the session is disposed.</summary>
    private void AddReference()
    {
        int current = Volatile.Read(ref _references);
        while (true)
        {
            ObjectDisposedException.ThrowIf(current == 0 || Volatile.Read(ref _disposed) != 0, this);
            int seen = Interlocked.CompareExchange(ref _references, current + 1, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>Gives a reference back; the last one releases the native session.</summary>
    internal void ReleaseReference()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            _session.Dispose();
        }
    }

    private static List<TensorMetadata> ReadMetadata(IReadOnlyList<string> names, IReadOnlyDictionary<string, NodeMetadata> metadata)
    {
        var result = new List<TensorMetadata>(names.Count);
        foreach (string name in names)
        {
            NodeMetadata node = metadata[name];
            if (node.OnnxValueType != OnnxValueType.ONNX_TYPE_TENSOR)
            {
                // Sequences, maps and optionals are described as Undefined.
                result.Add(new TensorMetadata(name, TensorElementType.Undefined, [], []));
                continue;
            }

            long[] shape = Array.ConvertAll(node.Dimensions, d => (long)d);
            string[] symbolic = new string[shape.Length];
            for (int d = 0; d < shape.Length; d++)
            {
                symbolic[d] = d < node.SymbolicDimensions.Length ? node.SymbolicDimensions[d] ?? "" : "";
            }

            result.Add(new TensorMetadata(name, (TensorElementType)(int)node.ElementDataType, shape, symbolic));
        }

        return result;
    }
}
