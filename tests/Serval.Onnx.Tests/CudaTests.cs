using Serval.Core.Tensors;
using Serval.TestSupport;

namespace Serval.Onnx.Tests;

public class CudaTests
{
    [Fact]
    public void Constructor_CudaRequested_FailsClearlyOrRunsOnCuda()
    {
        var options = new SessionOptions { Device = ExecutionDevice.Cuda };
        OrtEnvironment.Initialize();
        if (OrtEnvironment.Providers.Contains("CUDAExecutionProvider"))
        {
            // The GPU build (a GPU machine, or SERVAL_ORT_LIB): CUDA must then really work.
            using var session = new InferenceSession(Paths.ClsModel, options);
            Assert.Equal([1L, 2], session.Run([new NamedTensor("x", Tensor.From<float>(new float[3 * 48 * 192], [1, 3, 48, 192]))])[0].Tensor.Shape);
            return;
        }

        // The CPU-only build: creation fails at once, never silently falling back to the CPU.
        var e = Assert.Throws<OrtException>(() => new InferenceSession(Paths.ClsModel, options));

        Assert.Contains("CUDA", e.Message);
        Assert.Contains("SERVAL_ORT_LIB", e.Message);
        Assert.Contains(OrtEnvironment.LibraryPath, e.Message);
        // What the build does offer, so the reader sees it is the CPU build.
        Assert.Contains("CPUExecutionProvider", e.Message);
        Assert.Equal(OrtErrorCode.EpFail, e.Code);

        // The failure leaves the environment usable for CPU sessions.
        using var cpu = new InferenceSession(Paths.ClsModel);
        Assert.Equal([1L, 2], cpu.Run([new NamedTensor("x", Tensor.From<float>(new float[3 * 48 * 192], [1, 3, 48, 192]))])[0].Tensor.Shape);
    }
}
