using Serval.Imaging;
using Serval.Ocr.Classification;

namespace Serval.Ocr.Tests.Classification;

public class ClsStepTests
{
    [Fact]
    public void UpsideDown_TurnsOnlyWhen180WinsAboveTheThreshold()
    {
        float[] probabilities = [0.95f, 0.05f, 0.05f, 0.95f, 0.15f, 0.85f];

        Assert.Equal([false, true, false], ClsStep.UpsideDown(probabilities, 3));
        Assert.Equal([false, true, true], ClsStep.UpsideDown(probabilities, 3, threshold: 0.8f));
    }

    [Fact]
    public void Preprocess_ScalesTo48RowsAndPadsTo192()
    {
        // 100×25 → 192 columns would be 192.0: fills; 40×40 → 48 columns, then zeros.
        var tensor = ClsStep.Preprocess([TestImages.Filled(100, 25, 255, 255, 255), TestImages.Filled(40, 40, 255, 255, 255)]);

        Assert.Equal([2L, 3, 48, 192], tensor.Shape);
        ReadOnlySpan<float> v = tensor.AsSpan<float>();
        int item = 3 * 48 * 192;
        Assert.Equal(1f, v[191], 1e-6f);
        Assert.Equal(1f, v[item + 47], 1e-6f);
        Assert.Equal(0f, v[item + 48]);
    }
}

[Collection(OcrModelsCollection.Name)]
public sealed class ClsStepModelTests(OcrModels models)
{
    [Fact]
    public void Apply_UpsideDownLine_IsTurnedAndUprightLineIsNot()
    {
        using var engine = models.Engine(new OcrOptions { UseAngleClassifier = false });
        RgbImage upright = Assert.Single(engine.Detect(TestImages.Load("english")).Crops);
        RgbImage upsideDown = Assert.Single(engine.Detect(TestImages.Load("upside_down")).Crops);
        var crops = new List<RgbImage> { upright, upsideDown };

        int turned = ClsStep.Apply(models.Cls, crops);

        Assert.Equal(1, turned);
        Assert.Same(upright, crops[0]);
        Assert.NotSame(upsideDown, crops[1]);
    }
}
