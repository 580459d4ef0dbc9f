using Serval.Imaging;
using Serval.Ocr.Geometry;
using Serval.Ocr.Recognition;
using Serval.TestSupport;

namespace Serval.Ocr.Tests;

[Collection(OcrModelsCollection.Name)]
public sealed class OcrEngineTests(OcrModels models)
{
    [Fact]
    public void Read_ChineseLine_ReadsItExactly()
    {
        using var engine = models.Engine();

        OcrLine line = Assert.Single(engine.Read(TestImages.Load("chinese")));

        Assert.Equal("今天天气很好", line.Text);
        Assert.True(line.Confidence > 0.9f, $"confidence {line.Confidence}");
        // Drawn with a 24 px border around the label: the box sits inside the 241×97 picture's middle.
        Assert.InRange(line.X, 16, 34);
        Assert.InRange(line.Y, 24, 44);
        Assert.InRange(line.X + line.Width, 200, 225);
    }

    // PP-OCRv4's Chinese recogniser often reads narrow spaces between Latin words as nothing (a
    // known trait of the model, "How are you?" → "Howareyou?"), so English lines are compared
    // without spaces; the paragraph test checks that spaces are decoded where the model sees them.
    [Theory]
    [InlineData("english")]
    [InlineData("rotated")]
    [InlineData("upside_down")]
    public void Read_EnglishLine_ReadsTheLetters(string name)
    {
        using var engine = models.Engine();

        OcrLine line = Assert.Single(engine.Read(TestImages.Load(name)));

        Assert.Equal("HelloServal2024", line.Text.Replace(" ", ""));
        Assert.True(line.Confidence > 0.9f, $"confidence {line.Confidence}");
    }

    [Fact]
    public void Read_Paragraph_ReadsEveryLineInOrderWhereItWasDrawn()
    {
        using var engine = models.Engine();

        IReadOnlyList<OcrLine> lines = engine.Read(TestImages.Load("paragraph"));

        // make.sh draws at these x and baseline y: the first line in two parts far apart.
        (string Text, int X, int Baseline)[] drawn = [("Name:", 24, 44), ("Serval", 300, 44), ("jumps over 12 lazy dogs", 24, 98), ("服务器推理平台", 24, 152)];
        Assert.Equal(drawn.Select(d => d.Text), lines.Select(l => l.Text));
        for (int i = 0; i < drawn.Length; i++)
        {
            OcrLine line = lines[i];
            Assert.InRange(line.X, drawn[i].X - 8, drawn[i].X + 8);
            Assert.InRange(line.Y, drawn[i].Baseline - 30, drawn[i].Baseline - 10);
            Assert.InRange(line.Y + line.Height, drawn[i].Baseline - 2, drawn[i].Baseline + 12);
        }
    }

    [Fact]
    public void Read_BlankPicture_FindsNothing()
    {
        using var engine = models.Engine();

        Assert.Empty(engine.Read(TestImages.Load("blank")));
    }

    [Fact]
    public void Read_WithoutClassifier_UpsideDownLineDoesNotRead()
    {
        using var engine = new OcrEngine(models.Det, models.Rec, models.Decoder);

        IReadOnlyList<OcrLine> lines = engine.Read(TestImages.Load("upside_down"));

        Assert.DoesNotContain(lines, l => l.Text.Replace(" ", "") == "HelloServal2024");
    }

    [Fact]
    public void DetectRecognizeAssemble_GiveWhatReadGives()
    {
        using var engine = models.Engine();
        RgbImage image = TestImages.Load("paragraph");

        DetectedBoxes detected = engine.Detect(image);
        RecognizedText[] texts = engine.Recognize(detected.Crops);
        IReadOnlyList<OcrLine> lines = OcrEngine.Assemble(detected.Boxes, texts, engine.Options.MinConfidence);

        Assert.Equal(4, detected.Boxes.Count);
        Assert.Equal(engine.Read(image).Select(l => (l.Text, l.X, l.Y, l.Width, l.Height)), lines.Select(l => (l.Text, l.X, l.Y, l.Width, l.Height)));
    }

    [Fact]
    public void Recognize_OneBatchPadded_ReadsAsEachCropAlone()
    {
        using var engine = models.Engine();
        var crops = new List<RgbImage>(engine.Detect(TestImages.Load("paragraph")).Crops);
        crops.AddRange(engine.Detect(TestImages.Load("chinese")).Crops);

        RecognizedText[] together = engine.Recognize(crops);

        Assert.Equal(5, together.Length);
        for (int i = 0; i < crops.Count; i++)
        {
            RecognizedText alone = Assert.Single(engine.Recognize([crops[i]]));
            Assert.Equal(alone.Text, together[i].Text);
            Assert.Equal(alone.Confidence, together[i].Confidence, 0.05f);
        }
    }

    [Fact]
    public void Recognize_NoCrops_IsEmpty()
    {
        using var engine = models.Engine();

        Assert.Empty(engine.Recognize([]));
    }

    [Fact]
    public void Assemble_DropsLowConfidenceAndEmptyLines()
    {
        var box = new Quad(new(0, 0), new(10, 0), new(10, 5), new(0, 5));

        IReadOnlyList<OcrLine> lines = OcrEngine.Assemble([box, box, box], [new("kept", 0.8f), new("dropped", 0.3f), new("", 0.9f)], 0.5f);

        Assert.Equal(new OcrLine("kept", 0.8f, 0, 0, 10, 5), Assert.Single(lines));
    }

    [Fact]
    public void Assemble_CountsDiffer_SaysSo()
    {
        var e = Assert.Throws<ArgumentException>(() => OcrEngine.Assemble([], [new("x", 1)]));

        Assert.Contains("0 boxes but 1 texts", e.Message);
    }

    [Fact]
    public void Create_InvalidOptions_NamesEveryField()
    {
        var options = new OcrOptions { RecBatchSize = 0, MinConfidence = 2, Db = new() { Threshold = 0 } };

        var e = Assert.Throws<ArgumentException>(() => models.Engine(options));

        Assert.Contains("RecBatchSize: must be between 1 and 256, got 0", e.Message);
        Assert.Contains("MinConfidence: must be between 0 and 1, got 2", e.Message);
        Assert.Contains("Db.Threshold", e.Message);
    }

    [Fact]
    public void Create_CharacterListDoesNotFitTheRecogniser_SaysSo()
    {
        var e = Assert.Throws<ArgumentException>(() => new OcrEngine(models.Det, models.Rec, new CtcDecoder(["a", "b"])));

        Assert.Contains("outputs 6625 classes, but the character list makes 4", e.Message);
    }

    [Fact]
    public void Open_ModelFolder_LoadsAndReads()
    {
        using OcrEngine engine = OcrEngine.Open(Paths.Models);

        Assert.Equal("今天天气很好", Assert.Single(engine.Read(TestImages.Load("chinese"))).Text);
    }
}
