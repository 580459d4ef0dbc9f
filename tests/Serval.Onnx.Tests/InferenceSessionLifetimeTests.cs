using Serval.Core.Tensors;
using Serval.TestSupport.Onnx;

namespace Serval.Onnx.Tests;

public sealed class InferenceSessionLifetimeTests(ModelDirectory models) : IClassFixture<ModelDirectory>
{
    private static NamedTensor[] Ones(int n) => [new NamedTensor("x", Tensor.From<float>(Enumerable.Repeat(1f, n).ToArray(), [n]))];

    [Fact]
    public void Constructor_ValidModel_RunsAndKeepsPath()
    {
        string path = models.Write(OnnxModels.Identity(TensorElementType.Float, "N"));
        using var session = new InferenceSession(path);

        Assert.Equal(path, session.ModelPath);
        Assert.Equal([1f, 1f, 1f], session.Run(Ones(3))[0].Tensor.AsSpan<float>().ToArray());
    }

    [Fact]
    public void CreateDispose_ManyTimes_EverySessionRuns()
    {
        string path = models.Write(OnnxModels.Identity(TensorElementType.Float, "N"));
        for (int i = 1; i <= 30; i++)
        {
            using var session = new InferenceSession(path);
            Assert.Equal(i, session.Run(Ones(i))[0].Tensor.ElementCount);
        }
    }

    [Fact]
    public void Dispose_Twice_IsHarmless()
    {
        var session = models.Open(OnnxModels.Identity(TensorElementType.Float, "N"));
        session.Dispose();
        session.Dispose();

        // Metadata read at load stays readable; only running needs the native session.
        Assert.Equal("x", session.Inputs[0].Name);
    }

    [Fact]
    public void Run_AfterDispose_ThrowsObjectDisposed()
    {
        var session = models.Open(OnnxModels.Identity(TensorElementType.Float, "N"));
        session.Dispose();

        Assert.Throws<ObjectDisposedException>(() => session.Run(Ones(2)));
        Assert.Throws<ObjectDisposedException>(() => session.RunRaw(Ones(2)));
    }

    [Fact]
    public async Task Dispose_WhileRunsInProgress_EachRunCompletesOrSeesDisposed()
    {
        // Runs that already hold the session keep it (and its input/output names) alive until they
        // finish; runs that start later get ObjectDisposedException, never a crash.
        var session = models.Open(OnnxModels.MatMulChain(64, 20));
        var input = new NamedTensor[] { new("x", Tensor.From<float>(new float[64 * 64], [64, 64])) };
        int completed = 0;
        int refused = 0;
        using var firstDone = new ManualResetEventSlim();
        Task[] workers = Enumerable.Range(0, 3).Select(_ => Task.Factory.StartNew(() =>
        {
            while (true)
            {
                try
                {
                    NamedTensor[] output = session.Run(input);
                    Assert.Equal([64L, 64], output[0].Tensor.Shape);
                    Interlocked.Increment(ref completed);
                    firstDone.Set();
                }
                catch (ObjectDisposedException)
                {
                    Interlocked.Increment(ref refused);
                    return;
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        Assert.True(firstDone.Wait(TimeSpan.FromSeconds(10)));
        session.Dispose();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(completed > 0);
        Assert.Equal(3, refused);
    }

    [Fact]
    public void Constructor_MissingFile_ThrowsNoSuchFileNamingPath()
    {
        string path = Path.Combine(models.Path, "does-not-exist.onnx");

        var e = Assert.Throws<OrtException>(() => new InferenceSession(path));

        Assert.Equal(OrtErrorCode.NoSuchFile, e.Code);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Constructor_RandomBytes_ThrowsWithOrtsOwnMessage()
    {
        byte[] junk = new byte[4096];
        new Random(7).NextBytes(junk);
        string path = models.Write(junk, "junk");

        var e = Assert.Throws<OrtException>(() => new InferenceSession(path));

        // ORT's text, kept as it is: "Load model from <path> failed:Protobuf parsing failed."
        Assert.Equal(OrtErrorCode.InvalidProtobuf, e.Code);
        Assert.Contains("Protobuf parsing failed", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Constructor_UnknownOperator_ThrowsInvalidGraphNamingOperator()
    {
        byte[] model = OnnxModels.Build("bad",
            [new OnnxNode("NoSuchOp", ["x"], ["y"])],
            [new OnnxValue("x", TensorElementType.Float, ["N"])],
            [new OnnxValue("y", TensorElementType.Float, ["N"])]);

        var e = Assert.Throws<OrtException>(() => models.Open(model));

        Assert.Equal(OrtErrorCode.InvalidGraph, e.Code);
        Assert.Contains("No Op registered for NoSuchOp", e.Message);
    }

    [Fact]
    public void Constructor_NonAsciiPath_Loads()
    {
        // The path travels to ORT as UTF-8.
        string dir = Directory.CreateDirectory(Path.Combine(models.Path, "модель 模型 ü")).FullName;
        string path = OnnxModels.Save(OnnxModels.Identity(TensorElementType.Float, "N"), dir, "identité.onnx");

        using var session = new InferenceSession(path);

        Assert.Equal(2, session.Run(Ones(2))[0].Tensor.ElementCount);
    }
}
