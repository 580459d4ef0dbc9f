using Serval.Ocr.Evaluation;

namespace Serval.Ocr.Tests.Evaluation;

public sealed class OcrScoreTests
{
    [Fact]
    public void Compute_PerfectRead_AllLinesAndNoEdits()
    {
        var score = OcrImageScore.Compute(["欢迎光临", "OPEN 24 HOURS"], ["欢迎光临", "OPEN 24 HOURS"]);

        Assert.Equal(new OcrImageScore(Lines: 2, MatchedLines: 2, Characters: 4 + 1 + 11, Edits: 0), score); // spaces are not counted
        Assert.Equal(1.0, score.CharacterAccuracy);
    }

    [Fact]
    public void Compute_MissingLine_CostsItsCharactersAndTheNewline()
    {
        var score = OcrImageScore.Compute(["欢迎光临", "出口"], ["欢迎光临"]);

        Assert.Equal(new OcrImageScore(2, 1, 7, 3), score);
        Assert.Equal(1 - 3.0 / 7, score.CharacterAccuracy, 1e-12);
        Assert.Equal(["出口"], OcrImageScore.Missed(["欢迎光临", "出口"], ["欢迎光临"]));
    }

    [Fact]
    public void Compute_LinesOutOfOrder_AllFoundButEditsCounted()
    {
        // Line recall ignores order; the joined text does not: "ab\ncd" → "cd\nab" is 4 edits.
        var score = OcrImageScore.Compute(["ab", "cd"], ["cd", "ab"]);

        Assert.Equal(new OcrImageScore(2, 2, 5, 4), score);
    }

    [Fact]
    public void Compute_SpacesDroppedAndOneCharacterWrong_LineFoundAndEditsCounted()
    {
        var score = OcrImageScore.Compute(["扫码点餐 Scan to order"], ["扫码点餐Scan to ordor"]);

        Assert.Equal(1, score.MatchedLines);
        Assert.Equal(1, score.Edits); // o → e; the dropped spaces cost nothing
        Assert.Equal(15, score.Characters);
    }

    [Fact]
    public void Compute_OnePredictedLineMatchesTwoEqualTruthLines()
    {
        var score = OcrImageScore.Compute(["出口", "出口"], ["出口"]);

        Assert.Equal(2, score.MatchedLines);
        Assert.Equal(3, score.Edits);
    }

    [Fact]
    public void CharacterAccuracy_MoreEditsThanCharacters_ClampsAtZero()
    {
        var score = OcrImageScore.Compute(["ab"], ["0123456789"]);

        Assert.Equal(10, score.Edits);
        Assert.Equal(0.0, score.CharacterAccuracy);
    }

    [Fact]
    public void Over_SumsImagesBeforeDividing()
    {
        // 16 characters read perfectly and 2 characters entirely wrong: 1 − 2/18, not the mean of 1 and 0.
        var score = OcrScore.Over(
        [
            OcrImageScore.Compute(["欢迎光临", "OPEN 24 HOURS"], ["欢迎光临", "OPEN 24 HOURS"]),
            OcrImageScore.Compute(["出口"], ["入门"]),
        ]);

        Assert.Equal(new OcrScore(Images: 2, Lines: 3, MatchedLines: 2, Characters: 18, Edits: 2), score);
        Assert.Equal(1 - 2.0 / 18, score.CharacterAccuracy, 1e-12);
        Assert.Equal(2.0 / 3, score.LineRecall, 1e-12);
    }

    [Fact]
    public void Over_NoImages_ScoresOne()
    {
        var score = OcrScore.Over([]);

        Assert.Equal(new OcrScore(0, 0, 0, 0, 0), score);
        Assert.Equal(1.0, score.CharacterAccuracy);
        Assert.Equal(1.0, score.LineRecall);
    }

    [Fact]
    public void CharacterAccuracy_NoTruthButSomethingPredicted_IsZero()
    {
        var score = OcrImageScore.Compute([], ["幻影"]);

        Assert.Equal(new OcrImageScore(0, 0, 0, 2), score);
        Assert.Equal(0.0, score.CharacterAccuracy);
    }

    [Fact]
    public void Compute_FullWidthPunctuationReadsAsItsHalfWidthForm()
    {
        var score = OcrImageScore.Compute(["可乐（大杯）"], ["可乐(大杯)"]);

        Assert.Equal(0, score.Edits);
        Assert.Equal(1, score.MatchedLines);
    }

    [Fact]
    public void Compute_ALineSplitIntoNeighbouringBoxesIsStillRead()
    {
        var score = OcrImageScore.Compute(["可乐（大杯） 8.00", "宫保鸡丁"], ["可乐(大杯)", "8.00", "宫保鸡丁"]);

        Assert.Equal(2, score.MatchedLines);
        Assert.Equal(1, score.Edits); // the "\n" between the two boxes
    }

    [Fact]
    public void Compute_BoxesFarApartInReadingOrderDoNotJoin()
    {
        var score = OcrImageScore.Compute(["ABCDEF"], ["ABC", "x", "y", "DEF"]);

        Assert.Equal(0, score.MatchedLines);
    }
}
