using Serval.Ocr.Recognition;
using Serval.Onnx;
using Serval.TestSupport;

namespace Serval.Ocr.Tests;

/// <summary>The real PP-OCRv4 sessions, loaded once for the test classes that share them.</summary>
public sealed class OcrModels : IDisposable
{
    public InferenceSession Det { get; } = new(Paths.DetModel);

    public InferenceSession Rec { get; } = new(Paths.RecModel);

    public InferenceSession Cls { get; } = new(Paths.ClsModel);

    public CtcDecoder Decoder { get; } = CtcDecoder.Load(Path.Combine(Paths.Models, OcrEngine.KeysFile));

    /// <summary>An engine over the shared sessions (with the classifier).</summary>
    public OcrEngine Engine(OcrOptions? options = null) => new(Det, Rec, Decoder, Cls, options);

    public void Dispose()
    {
        Det.Dispose();
        Rec.Dispose();
        Cls.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class OcrModelsCollection : ICollectionFixture<OcrModels>
{
    public const string Name = "PP-OCRv4 models";
}
