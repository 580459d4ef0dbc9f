using System.Text.Json;
using Serval.Cli.Api;

namespace Serval.Cli.Tests.Api;

public sealed class PredictAnswerTests
{
    private static IReadOnlyList<string> Read(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return PredictAnswer.ReadLines(doc.RootElement);
    }

    [Fact]
    public void ReadLines_OcrAnswer_TheResFieldsInOrder()
    {
        var lines = Read("""
            {"code":0,"request_id":"r","data":{"msg":{},"ndarray":[
              {"confidence":0.98,"rect":[10,10,200,30],"res":"欢迎光临"},
              {"confidence":0.91,"rect":[10,50,180,30],"res":"OPEN 24 HOURS"}]}}
            """);

        Assert.Equal(["欢迎光临", "OPEN 24 HOURS"], lines);
    }

    [Fact]
    public void ReadLines_NothingFound_NoLines() =>
        Assert.Empty(Read("""{"code":0,"data":{"msg":{},"ndarray":[]}}"""));

    [Theory]
    [InlineData("[]", "the answer is not a JSON object")]
    [InlineData("""{"code":2,"error":"bad image"}""", "the answer's code is 2: bad image")]
    [InlineData("""{"code":"x"}""", "the answer's code is \"x\"")]
    [InlineData("""{"code":0,"data":{}}""", "the answer has no data.ndarray list")]
    [InlineData("""{"code":0}""", "the answer has no data.ndarray list")]
    [InlineData("""{"code":0,"data":{"ndarray":[{"res":"a"},{"rect":[1,2,3,4]}]}}""", "data.ndarray[1] has no \"res\" text")]
    public void ReadLines_BadAnswer_SaysWhatIsWrong(string json, string expected) =>
        Assert.Equal(expected, Assert.Throws<FormatException>(() => Read(json)).Message);
}
