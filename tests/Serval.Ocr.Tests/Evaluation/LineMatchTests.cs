using Serval.Ocr.Evaluation;

namespace Serval.Ocr.Tests.Evaluation;

public sealed class LineMatchTests
{
    [Theory]
    [InlineData("出口 EXIT", "出口EXIT")]
    [InlineData(" a\tb \u3000c ", "abc")]
    [InlineData("", "")]
    public void Normalize_RemovesAllWhitespace(string line, string expected) =>
        Assert.Equal(expected, LineMatch.Normalize(line));

    [Theory]
    [InlineData("出口 EXIT", "出口EXIT")] // a dropped space
    [InlineData("宫保鸡丁", "宫 保 鸡 丁")] // inserted spaces
    [InlineData("合计：￥128.50", "合计:¥128.50")] // the same once full-width forms are folded
    [InlineData("合计：￥128.50", "合汁:¥128.50")] // 1 of 10 characters wrong: 0.1
    [InlineData("Cash 50.00 Change 7.25", "Cash 50.00 Change 7.2")] // 1 of 19 missing
    [InlineData("", "")]
    public void Matches_WithinOneTenth_True(string truth, string predicted) =>
        Assert.True(LineMatch.Matches(truth, predicted));

    [Theory]
    [InlineData("合计：￥128.50", "合汁:¥128.60")] // 2 of 10 wrong: 0.2
    [InlineData("宫保鸡丁", "宫保鸡")] // 1 of 4 missing
    [InlineData("出口", "")]
    [InlineData("欢迎光临", "欢迎光临 OPEN 24 HOURS")] // two lines read as one
    public void Matches_BeyondOneTenth_False(string truth, string predicted) =>
        Assert.False(LineMatch.Matches(truth, predicted));
}
