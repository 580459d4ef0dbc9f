using Microsoft.ML.OnnxRuntime;

namespace Serval.Onnx;

/// <summary>Serval's <see cref="SessionOptions"/> as the package's options.</summary>
internal static class SessionOptionsBuilder
{
    private const string CudaProvider = "CUDAExecutionProvider";

    /// <exception cref="OrtException">CUDA was asked for and cannot be used; the message says why and what to do.</exception>
    public static Microsoft.ML.OnnxRuntime.SessionOptions Build(SessionOptions options)
    {
        var native = new Microsoft.ML.OnnxRuntime.SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = 1,
            GraphOptimizationLevel = (GraphOptimizationLevel)options.GraphOptimizationLevel,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };

        try
        {
            string spinning = options.AllowSpinning ? "1" : "0";
            native.AddSessionConfigEntry("session.intra_op.allow_spinning", spinning);
            native.AddSessionConfigEntry("session.inter_op.allow_spinning", spinning);
            if (options.OptimizedModelPath is { } optimized)
            {
                native.OptimizedModelFilePath = optimized;
            }

            if (options.Device == ExecutionDevice.Cuda)
            {
                AppendCuda(native, options.DeviceId);
            }

            return native;
        }
        catch
        {
            native.Dispose();
            throw;
        }
    }

    private static void AppendCuda(Microsoft.ML.OnnxRuntime.SessionOptions native, int deviceId)
    {
        IReadOnlyList<string> providers = OrtEnvironment.Providers;
        if (!providers.Contains(CudaProvider))
        {
            // The CPU build has no CUDA entry points at all: say so before the package throws EntryPointNotFound.
            throw new OrtException(OrtErrorCode.EpFail,
                $"the CUDA execution provider cannot be used with ONNX Runtime at '{OrtEnvironment.LibraryPath}': this build offers only {string.Join(", ", providers)}. " +
                "On a machine with an NVIDIA GPU, scripts/setup.sh installs the GPU build into .deps/ort-gpu/ (or point SERVAL_ORT_LIB at one, with libonnxruntime_providers_cuda.so beside it); or run on the CPU");
        }

        try
        {
            native.AppendExecutionProvider_CUDA(deviceId);
        }
        catch (OnnxRuntimeException e)
        {
            // The GPU build is there but CUDA is not usable (no driver, a missing libcudart, no such device): ORT's reason.
            throw OrtException.From(e, $"the CUDA execution provider cannot be used with ONNX Runtime at '{OrtEnvironment.LibraryPath}' (device {deviceId}): ");
        }
    }
}
