using Serval.Core.Security;

namespace Serval.Core.Tests.Security;

public class FunctionPatternTests
{
    [Theory]
    [InlineData("ocr-rec", "ocr-rec", true)]
    [InlineData("ocr-rec", "ocr-rec2", false)]
    [InlineData("ocr-rec", "OCR-REC", false)]
    [InlineData("ocr-*", "ocr-rec", true)]
    [InlineData("ocr-*", "ocr-", true)]
    [InlineData("ocr-*", "ocr", false)]
    [InlineData("ocr*", "ocr", true)]
    [InlineData("ocr*", "ocrx", true)]
    [InlineData("ocr*", "xocr", false)]
    [InlineData("*", "anything", true)]
    public void Matches_NameOrPrefix(string pattern, string function, bool matches) =>
        Assert.Equal(matches, new FunctionPattern(pattern).Matches(function));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("o*cr", "'*' may only end a pattern")]
    [InlineData("**", "'*' may only end a pattern")]
    [InlineData("ocr/rec", "'/' is not allowed")]
    [InlineData("ocr rec", "' ' is not allowed")]
    public void Parse_Bad_SaysWhatIsWrong(string text, string message)
    {
        var (pattern, error) = FunctionPattern.Parse(text);

        Assert.Null(pattern);
        Assert.Contains(message, error);
    }

    [Theory]
    [InlineData("ocr-rec")]
    [InlineData("ocr-*")]
    [InlineData("ocr*")]
    [InlineData("*")]
    [InlineData("a.b_c-1")]
    public void Parse_Good_KeepsTheText(string text) => Assert.Equal(text, FunctionPattern.Parse(text).Pattern?.Text);
}
