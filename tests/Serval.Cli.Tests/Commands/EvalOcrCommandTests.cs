using System.Text.Json;
using System.Text.Json.Nodes;
using Serval.Cli.Tests.Support;
using Serval.TestSupport;

namespace Serval.Cli.Tests.Commands;

public sealed class EvalOcrCommandTests : IDisposable
{
    private const string Predict = "/fn/ocr/predict";
    private readonly FakeServal _server = new();
    private readonly string _dir = Paths.NewTempDir("serval-eval");

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Writes the images (their bytes are their names) and truth.json.</summary>
    private void WriteSet(params (string Image, string[] Lines)[] set)
    {
        var truth = new JsonArray();
        foreach (var (image, lines) in set)
        {
            File.WriteAllText(Path.Combine(_dir, image), "image " + image);
            truth.Add(new JsonObject { ["image"] = image, ["lines"] = new JsonArray([.. lines.Select(l => JsonValue.Create(l))]) });
        }

        File.WriteAllText(Path.Combine(_dir, "truth.json"), truth.ToJsonString());
    }

    /// <summary>Answers each image, told apart by its bytes, with the canned lines.</summary>
    private void AnswerLines(params (string Image, string[] Lines)[] answers) =>
        _server.On("POST", Predict, request =>
        {
            string image = SentImage(request)["image ".Length..];
            var lines = answers.Single(a => a.Image == image).Lines;
            var items = new JsonArray([.. lines.Select((l, i) => new JsonObject
            {
                ["confidence"] = 0.9,
                ["rect"] = new JsonArray(10, 10 + 40 * i, 200, 30),
                ["res"] = l,
            })]);
            var answer = new JsonObject { ["code"] = 0, ["request_id"] = "r1", ["data"] = new JsonObject { ["msg"] = new JsonObject(), ["ndarray"] = items } };
            return Answer.Json(200, answer.ToJsonString());
        });

    private static string SentImage(ReceivedRequest request)
    {
        using var body = JsonDocument.Parse(request.Body);
        return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(body.RootElement.GetProperty("jsonData").GetString()!));
    }

    private Task<CliRun> EvalAsync(params string[] extra) =>
        CliRunner.RunAsync(["eval-ocr", _dir, "--fn", "ocr", "--url", _server.Url, .. extra]);

    private void WriteMisreadSet()
    {
        WriteSet(("a.png", ["欢迎光临您", "OPEN 24 HOURS"]), ("b.jpg", ["合计：￥128.50"]));
        // a: "0" for "O" (1 edit in 11, both lines read); b: two wrong characters (2 edits in 10,
        // not read). Spaces are not characters, and "：" reads as ":".
        AnswerLines(("a.png", ["欢迎光临您", "0PEN 24 HOURS"]), ("b.jpg", ["合汁:$128.50"]));
    }

    [Fact]
    public async Task EvalOcr_EveryLineRead_ScoresOneAndSendsEachImageAsBase64()
    {
        WriteSet(("001.png", ["欢迎光临", "OPEN 24 HOURS"]), ("002.jpg", ["合计：￥128.50"]));
        AnswerLines(("001.png", ["欢迎光临", "OPEN 24 HOURS"]), ("002.jpg", ["合计：￥128.50"]));

        var run = await EvalAsync();

        Assert.Equal("", run.Error);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("character accuracy  1.0000  (0 edits in 26 characters)", run.Output);
        Assert.Contains("line recall         1.0000  (3 of 3 lines)", run.Output);
        Assert.Contains("images              2", run.Output);
        Assert.Matches(@"latency per image   mean \d+\.\d ms · p50 \d+\.\d ms · p99 \d+\.\d ms  \(concurrency 1\)", run.Output);
        Assert.DoesNotContain("001.png", run.Output); // no per-image table without --verbose
        var requests = _server.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal(("POST", Predict, "application/json"), (r.Method, r.Path, r.ContentType?.Split(';')[0])));
        Assert.Equal(["image 001.png", "image 002.jpg"], requests.Select(SentImage));
    }

    [Fact]
    public async Task EvalOcr_Misreads_CountsEditsAndMissedLines()
    {
        WriteMisreadSet();

        var run = await EvalAsync("--verbose");

        Assert.Equal(0, run.ExitCode);
        // 5 + "\n" + 11 and 10 characters, 1 + 2 edits: 1 − 3/27; 2 of 3 lines read.
        Assert.Contains("character accuracy  0.8889  (3 edits in 27 characters)", run.Output);
        Assert.Contains("line recall         0.6667  (2 of 3 lines)", run.Output);
        Assert.Matches(@"a\.png\s+2\s+2\s+0\.9412\s+1 / 17\s+\d+\.\d ms\s*\n", run.Output);
        Assert.Matches(@"b\.jpg\s+1\s+0\s+0\.8000\s+2 / 10\s+\d+\.\d ms\s+合计：￥128\.50", run.Output);
    }

    [Fact]
    public async Task EvalOcr_BelowAThreshold_ExitsOneNamingIt()
    {
        WriteMisreadSet();

        var run = await EvalAsync("--min-accuracy", "0.9", "--min-recall", "0.5");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("character accuracy  0.8889", run.Output);
        Assert.Equal("character accuracy 0.8889 is below --min-accuracy 0.9000", run.Error.Trim());
    }

    [Fact]
    public async Task EvalOcr_BelowBothThresholds_NamesBoth()
    {
        WriteMisreadSet();

        var run = await EvalAsync("--min-accuracy", "0.9", "--min-recall", "0.7");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("character accuracy 0.8889 is below --min-accuracy 0.9000; line recall 0.6667 is below --min-recall 0.7000", run.Error.Trim());
    }

    [Fact]
    public async Task EvalOcr_ThresholdsMet_ExitsZero()
    {
        WriteMisreadSet();

        var run = await EvalAsync("--min-accuracy", "0.85", "--min-recall", "0.65");

        Assert.Equal("", run.Error);
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task EvalOcr_Concurrency_SendsEveryImageOnce()
    {
        var set = Enumerable.Range(1, 7).Select(i => ($"{i:000}.png", new[] { $"第{i}排" })).ToArray();
        WriteSet(set);
        AnswerLines(set);

        var run = await EvalAsync("--concurrency", "4", "--verbose");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("line recall         1.0000  (7 of 7 lines)", run.Output);
        Assert.Contains("(concurrency 4)", run.Output);
        Assert.Equal(set.Select(s => "image " + s.Item1).Order(), _server.Requests.Select(SentImage).Order());
        // The table keeps the set's order whatever order the answers came in.
        Assert.True(run.Output.IndexOf("001.png", StringComparison.Ordinal) < run.Output.IndexOf("007.png", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EvalOcr_NoTruthJson_SaysWhatTheFolderNeeds()
    {
        var run = await EvalAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith($"{_dir}: no truth.json (an evaluation set is a folder of images and a truth.json", run.Error);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task EvalOcr_NoSuchFolder_SaysSo()
    {
        string missing = Path.Combine(_dir, "nope");

        var run = await CliRunner.RunAsync("eval-ocr", missing, "--fn", "ocr", "--url", _server.Url);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"{missing}: no such folder", run.Error.Trim());
    }

    [Fact]
    public async Task EvalOcr_ImageMissing_NamesItBeforeSendingAnything()
    {
        WriteSet(("a.png", ["欢迎光临"]), ("b.png", ["出口"]));
        File.Delete(Path.Combine(_dir, "b.png"));

        var run = await EvalAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"{Path.Combine(_dir, "truth.json")} names b.png, which is not in {_dir}", run.Error.Trim());
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task EvalOcr_ImageOutsideTheFolder_Refused()
    {
        File.WriteAllText(Path.Combine(_dir, "truth.json"), """[{"image": "../x.png", "lines": ["x"]}]""");

        var run = await EvalAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("the image \"../x.png\" is not inside", run.Error);
    }

    [Fact]
    public async Task EvalOcr_BadTruthJson_NamesTheEntry()
    {
        File.WriteAllText(Path.Combine(_dir, "truth.json"), """[{"image": "a.png", "lines": "欢迎光临"}]""");

        var run = await EvalAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"{Path.Combine(_dir, "truth.json")}: entry 0 (a.png): \"lines\" must be an array of strings", run.Error.Trim());
    }

    [Fact]
    public async Task EvalOcr_FunctionAnswersAnError_NamesTheImageAndStatus()
    {
        WriteSet(("a.png", ["欢迎光临"]));
        _server.On("POST", Predict, Answer.Json(503, """{"error":"no instance of ocr became ready"}"""));

        var run = await EvalAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("a.png: /fn/ocr/predict answered HTTP 503: no instance of ocr became ready", run.Error.Trim());
    }

    [Fact]
    public async Task EvalOcr_UnknownFunction_NamesTheImageAndStatus()
    {
        WriteSet(("a.png", ["欢迎光临"]));

        var run = await EvalAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("a.png: /fn/ocr/predict answered HTTP 404: no route POST /fn/ocr/predict", run.Error.Trim());
    }

    [Fact]
    public async Task EvalOcr_AnswerWithNonZeroCode_NamesTheImageAndReason()
    {
        WriteSet(("a.png", ["欢迎光临"]));
        _server.On("POST", Predict, Answer.Json(200, """{"code":1,"msg":"cannot decode the image"}"""));

        var run = await EvalAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("a.png: /fn/ocr/predict: the answer's code is 1: cannot decode the image", run.Error.Trim());
    }

    [Fact]
    public async Task EvalOcr_AnswerNotJson_NamesTheImage()
    {
        WriteSet(("a.png", ["欢迎光临"]));
        _server.On("POST", Predict, new Answer(200, "hello"u8.ToArray(), "text/plain"));

        var run = await EvalAsync();

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("a.png: /fn/ocr/predict answered something that is not JSON: hello", run.Error.Trim());
    }

    [Theory]
    [InlineData("--concurrency", "0", "--concurrency: must be at least 1, not 0")]
    [InlineData("--min-accuracy", "95", "--min-accuracy: 95 is not between 0 and 1")]
    [InlineData("--min-recall", "-0.1", "--min-recall: -0.1 is not between 0 and 1")]
    public async Task EvalOcr_BadOption_NamesIt(string option, string value, string expected)
    {
        WriteSet(("a.png", ["欢迎光临"]));

        var run = await EvalAsync(option, value);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(expected, run.Error.Trim());
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task EvalOcr_NoFunction_IsAParseError()
    {
        var run = await CliRunner.RunAsync("eval-ocr", _dir, "--url", _server.Url);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--fn", run.Error);
    }
}
