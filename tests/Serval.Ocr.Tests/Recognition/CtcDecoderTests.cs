using Serval.Ocr.Recognition;
using Serval.TestSupport;

namespace Serval.Ocr.Tests.Recognition;

public class CtcDecoderTests
{
    // Classes: 0 blank, 1 "a", 2 "b", 3 "c", 4 space.
    private static readonly CtcDecoder Decoder = new(["a", "b", "c"]);

    [Fact]
    public void Decode_MergesRepeatsAndDropsBlanks()
    {
        // a a _ a b b ␣ c → "a" (repeat merged), blank splits, "a", "b" (merged), " ", "c".
        float[] probs = Steps((1, 0.9f), (1, 0.7f), (0, 0.99f), (1, 0.8f), (2, 0.6f), (2, 0.95f), (4, 0.5f), (3, 0.4f));

        RecognizedText text = Decoder.Decode(probs);

        Assert.Equal("aab c", text.Text);
        // Kept steps: the first of each run: 0.9, 0.8, 0.6, 0.5, 0.4.
        Assert.Equal((0.9f + 0.8f + 0.6f + 0.5f + 0.4f) / 5, text.Confidence, 1e-6f);
    }

    [Fact]
    public void Decode_OnlyBlanks_IsEmptyWithConfidenceZero()
    {
        RecognizedText text = Decoder.Decode(Steps((0, 0.9f), (0, 0.9f)));

        Assert.Equal(new RecognizedText("", 0), text);
    }

    [Fact]
    public void Decode_NotWholeSteps_SaysSo()
    {
        var e = Assert.Throws<ArgumentException>(() => Decoder.Decode(new float[7]));

        Assert.Contains("7 probabilities are not whole steps of 5 classes", e.Message);
    }

    [Fact]
    public void DecodeBatch_PaddedRows_ReadEachRowAndIgnoreBlankPadding()
    {
        // Two rows of 4 steps: "ab" then padding blanks; "c" then padding blanks.
        float[] output = [.. Steps((1, 0.9f), (2, 0.9f), (0, 0.9f), (0, 0.9f)), .. Steps((3, 0.8f), (0, 0.9f), (0, 0.9f), (0, 0.9f))];

        RecognizedText[] texts = Decoder.DecodeBatch(output, [2, 4, 5]);

        Assert.Equal(["ab", "c"], texts.Select(t => t.Text));
    }

    [Fact]
    public void DecodeBatch_StepsPerRow_ReadsOnlyEachRowsOwnSteps()
    {
        // The second row's padding (steps 2 and 3) would read "b": its own steps are only the first 1.
        float[] output = [.. Steps((1, 0.9f), (2, 0.9f), (3, 0.9f), (0, 0.9f)), .. Steps((3, 0.8f), (0, 0.9f), (2, 0.9f), (2, 0.9f))];

        RecognizedText[] texts = Decoder.DecodeBatch(output, [2, 4, 5], [4, 1]);

        Assert.Equal(["abc", "c"], texts.Select(t => t.Text));
    }

    [Fact]
    public void DecodeBatch_WrongClassCount_SaysWhatItExpected()
    {
        var e = Assert.Throws<ArgumentException>(() => Decoder.DecodeBatch(new float[12], [1, 2, 6]));

        Assert.Contains("expected a [N, T, 5] output, got shape [1, 2, 6]", e.Message);
    }

    [Fact]
    public void Load_PaddleKeys_HasTheModelsClassCountAndSpaceLast()
    {
        CtcDecoder decoder = CtcDecoder.Load(Path.Combine(Paths.Models, OcrEngine.KeysFile));
        string first = File.ReadLines(Path.Combine(Paths.Models, OcrEngine.KeysFile)).First();

        Assert.Equal(6625, decoder.ClassCount);
        float[] probs = new float[3 * 6625];
        probs[1] = 1;              // step 0: class 1, the first line of the file
        probs[6625 + 6624] = 1;    // step 1: the last class, a space
        probs[2 * 6625 + 1] = 1;   // step 2: the first line again
        Assert.Equal(first + " " + first, decoder.Decode(probs).Text);
    }

    [Fact]
    public void Load_MissingFile_NamesIt()
    {
        var e = Assert.Throws<FileNotFoundException>(() => CtcDecoder.Load("/nonexistent/keys.txt"));

        Assert.Contains("/nonexistent/keys.txt", e.Message);
    }

    /// <summary>One step per (class, probability): that class gets the probability, the rest share what is left.</summary>
    private static float[] Steps(params (int Class, float Probability)[] steps)
    {
        float[] probs = new float[steps.Length * 5];
        for (int s = 0; s < steps.Length; s++)
        {
            for (int c = 0; c < 5; c++)
            {
                probs[s * 5 + c] = c == steps[s].Class ? steps[s].Probability : (1 - steps[s].Probability) / 8;
            }
        }

        return probs;
    }
}
