using Serval.Ocr.Evaluation;

namespace Serval.Ocr.Tests.Evaluation;

public sealed class TextDistanceTests
{
    [Theory]
    [InlineData("", "", 0)]
    [InlineData("", "abc", 3)]
    [InlineData("abc", "", 3)]
    [InlineData("abc", "abc", 0)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("flaw", "lawn", 2)]
    [InlineData("北京市", "北京", 1)]
    [InlineData("营业时间九点", "营业时间八点", 1)]
    [InlineData("合计：￥128.50", "合计:¥128.50", 2)]
    [InlineData("出口 EXIT", "出口EXIT", 1)]
    [InlineData("ab\ncd", "cd\nab", 4)]
    public void Levenshtein_KnownPairs_CountsEdits(string a, string b, int expected)
    {
        Assert.Equal(expected, TextDistance.Levenshtein(a, b));
        Assert.Equal(expected, TextDistance.Levenshtein(b, a));
    }

    [Fact]
    public void Levenshtein_SurrogatePair_IsOneCharacter()
    {
        // U+20000 (𠀀) is two UTF-16 code units.
        Assert.Equal(1, TextDistance.Levenshtein("a\U00020000b", "ab"));
        Assert.Equal(1, TextDistance.Levenshtein("\U00020000", "\U00020001"));
        Assert.Equal(1, TextDistance.Length("\U00020000"));
    }

    [Fact]
    public void Levenshtein_CombiningMark_IsPartOfItsLetter()
    {
        string decomposed = "cafe\u0301"; // é as e + combining acute accent
        Assert.Equal(4, TextDistance.Length(decomposed));
        Assert.Equal(1, TextDistance.Levenshtein(decomposed, "cafe"));
        Assert.Equal(["c", "a", "f", "e\u0301"], TextDistance.Elements(decomposed));
    }

    [Theory]
    [InlineData("", "", 0.0)]
    [InlineData("abc", "", 1.0)]
    [InlineData("营业时间九点", "营业时间八点", 1.0 / 6)]
    [InlineData("abcd", "abcdefgh", 0.5)]
    public void Normalized_DividesByTheLongerLength(string a, string b, double expected) =>
        Assert.Equal(expected, TextDistance.Normalized(a, b), 1e-12);
}
