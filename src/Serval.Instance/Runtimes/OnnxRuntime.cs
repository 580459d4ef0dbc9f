using Microsoft.Extensions.Logging;
using Serval.Core.Wire;
using Serval.Instance.Logging;
using Serval.Instance.Validation;
using Serval.Core.Tensors;
using Serval.Onnx;

namespace Serval.Instance.Runtimes;

/// <summary>
/// The <c>onnx</c> runtime: one model, named tensors in and out. The hot path validates the inputs
/// against the metadata, runs the model, and copies each output once, from ORT's memory straight
/// into the answer frame.
/// </summary>
internal sealed class OnnxRuntime : IRuntime
{
    private readonly string _function;
    private readonly InferenceSession _session;
    private readonly int[] _allOutputs;
    private readonly ILogger _logger;

    private OnnxRuntime(string function, InferenceSession session, ILogger logger)
    {
        _function = function;
        _session = session;
        _logger = logger;
        _allOutputs = OutputSelection.All(session.Outputs.Count);
        Inputs = Describe(session.Inputs);
        Outputs = Describe(session.Outputs);
    }

    public IReadOnlyList<TensorInfo> Inputs { get; }

    public IReadOnlyList<TensorInfo> Outputs { get; }

    /// <summary>Loads the config's <c>Model</c>.</summary>
    /// <exception cref="InstanceLoadException">No model is named, or ORT cannot load it.</exception>
    public static OnnxRuntime Load(InstanceConfig config, ILogger logger)
    {
        if (string.IsNullOrWhiteSpace(config.Model))
        {
            throw new InstanceLoadException("the onnx runtime needs a model, and the config names none");
        }

        return new OnnxRuntime(config.Function, SessionLoader.Load(config, config.Model, logger), logger);
    }

    public void WarmUp()
    {
        try
        {
            Warmup.Run(_session);
        }
        catch (OrtException e)
        {
            // The guessed warm-up shape may not suit every model; the function can still serve.
            Log.WarmupFailed(_logger, _function, e.Message);
        }
    }

    public ValueTask<WireWriter> InvokeAsync(ulong id, InvokeOperation operation, InvokeRequest request, CancellationToken cancellationToken)
    {
        if (request is not InferRequest infer)
        {
            return Error(id, ErrorKind.BadInput, $"function '{_function}' is a model and expects tensors; use /v2/models/{_function}/infer");
        }

        if (InputValidator.Validate(_session.Inputs, infer.Inputs) is { } invalid)
        {
            return new(WireCodec.EncodeError(id, invalid));
        }

        if (OutputSelection.Resolve(_session.Outputs, infer.RequestedOutputs, _allOutputs, out int[] selected) is { } unknown)
        {
            return new(WireCodec.EncodeError(id, unknown));
        }

        SessionOutputs outputs;
        try
        {
            outputs = _session.RunRaw(infer.Inputs, cancellationToken);
        }
        catch (OrtException e)
        {
            return Error(id, ErrorKind.FunctionError, e.Message);
        }

        try
        {
            WireWriter answer = Encode(id, outputs, selected);
            answer.Own(outputs); // the numeric outputs go out straight from ORT's memory
            return new(answer);
        }
        catch
        {
            outputs.Dispose();
            throw;
        }
    }

    public void Dispose() => _session.Dispose();

    private static WireWriter Encode(ulong id, SessionOutputs outputs, int[] selected)
    {
        int size = 0;
        foreach (int i in selected)
        {
            size += 64 + outputs.Name(i).Length * 3 + outputs.Shape(i).Length * 8;
        }

        WireWriter writer = WireCodec.BeginInferResult(id, selected.Length, size);
        try
        {
            foreach (int i in selected)
            {
                if (outputs.ElementType(i) == TensorElementType.String)
                {
                    writer.WriteStringTensor(outputs.Name(i), outputs.Shape(i), outputs.Strings(i));
                }
                else
                {
                    writer.WriteTensorExternal(outputs.Name(i), outputs.ElementType(i), outputs.Shape(i), outputs.DataMemory(i));
                }
            }

            return writer;
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    private static ValueTask<WireWriter> Error(ulong id, ErrorKind kind, string message) =>
        new(WireCodec.EncodeError(id, new InvokeError(kind, message)));

    private static List<TensorInfo> Describe(IReadOnlyList<TensorMetadata> tensors)
    {
        var result = new List<TensorInfo>(tensors.Count);
        foreach (TensorMetadata t in tensors)
        {
            result.Add(new TensorInfo(t.Name, t.ElementType.ToOipName(), t.Shape));
        }

        return result;
    }
}
