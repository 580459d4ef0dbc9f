using Serval.Ocr.Evaluation;
using Serval.TestSupport;

namespace Serval.Ocr.Tests.Evaluation;

public sealed class OcrTruthTests
{
    [Fact]
    public void ParseSet_ValidDocument_KeepsOrder()
    {
        var set = OcrTruth.ParseSet("""
            [
              { "image": "001.png", "lines": ["欢迎光临", "OPEN 24 HOURS"] },
              { "image": "002.jpg", "lines": [] }
            ]
            """);

        Assert.Equal(2, set.Count);
        Assert.Equal("001.png", set[0].Image);
        Assert.Equal(["欢迎光临", "OPEN 24 HOURS"], set[0].Lines);
        Assert.Equal("002.jpg", set[1].Image);
        Assert.Empty(set[1].Lines);
    }

    [Theory]
    [InlineData("{", "not JSON")]
    [InlineData("""{"image": "a.png"}""", "expected an array")]
    [InlineData("""[1]""", "entry 0: expected an object")]
    [InlineData("""[{"lines": []}]""", "entry 0: \"image\" must be a file name")]
    [InlineData("""[{"image": "", "lines": []}]""", "entry 0: \"image\" must be a file name")]
    [InlineData("""[{"image": "a.png", "lines": []}, {"image": "b.png"}]""", "entry 1 (b.png): \"lines\" must be an array of strings")]
    [InlineData("""[{"image": "a.png", "lines": ["x", 3]}]""", "item 1 is number")]
    [InlineData("""[{"image": "a.png", "lines": []}, {"image": "a.png", "lines": []}]""", "entry 1: the image \"a.png\" is listed twice")]
    public void ParseSet_BadDocument_NamesTheProblem(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => OcrTruth.ParseSet(json));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void ParseSet_TheCommittedSet_EveryImageExistsWithLines()
    {
        string folder = Path.Combine(Paths.Root, "tests", "ocr-eval");
        var set = OcrTruth.ParseSet(File.ReadAllText(Path.Combine(folder, "truth.json")));

        Assert.True(set.Count >= 36, $"{set.Count} images");
        Assert.All(set, truth =>
        {
            Assert.True(File.Exists(Path.Combine(folder, truth.Image)), truth.Image);
            Assert.InRange(truth.Lines.Count, 1, 5);
        });
    }

    [Fact]
    public void ParseSet_TheCommittedSet_EveryCharacterIsInTheRecognisersDictionary()
    {
        var dictionary = File.ReadAllLines(Path.Combine(Paths.Models, "ppocr_keys_v1.txt")).ToHashSet(StringComparer.Ordinal);
        dictionary.Add(" "); // PP-OCR appends the space to its dictionary
        var set = OcrTruth.ParseSet(File.ReadAllText(Path.Combine(Paths.Root, "tests", "ocr-eval", "truth.json")));

        var unknown = set.SelectMany(truth => truth.Lines).SelectMany(TextDistance.Elements).Where(c => !dictionary.Contains(c)).Distinct().ToList();

        Assert.Empty(unknown);
    }
}
