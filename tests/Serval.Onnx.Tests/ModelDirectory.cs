using Serval.Core.Tensors;
using Serval.TestSupport;
using Serval.TestSupport.Onnx;

namespace Serval.Onnx.Tests;

/// <summary>A temporary folder for generated model files, deleted with the fixture.</summary>
public sealed class ModelDirectory : IDisposable
{
    /// <summary>The folder.</summary>
    public string Path { get; } = Paths.NewTempDir("serval-onnx");

    /// <summary>Writes <paramref name="model"/> under a unique name and returns its path.</summary>
    public string Write(byte[] model, string name = "model") =>
        OnnxModels.Save(model, Path, $"{name}-{Guid.NewGuid():N}.onnx");

    /// <summary>Writes <paramref name="model"/> and opens a session on it.</summary>
    public InferenceSession Open(byte[] model, SessionOptions? options = null) => new(Write(model), options);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>One recognition-model session shared by the tests of a class (loading it takes ~100 ms).</summary>
public sealed class RecSession : IDisposable
{
    public InferenceSession Session { get; } = new(Paths.RecModel);

    /// <summary>A [batch,3,48,width] input with values from a fixed seed.</summary>
    public static Tensor Input(int batch, int width, int seed)
    {
        var random = new Random(seed);
        float[] values = new float[batch * 3 * 48 * width];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return Tensor.From<float>(values, [batch, 3, 48, width]);
    }

    public void Dispose() => Session.Dispose();
}
