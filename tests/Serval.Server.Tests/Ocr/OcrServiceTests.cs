using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serval.Imaging;
using Serval.Ocr;
using Serval.Ocr.Evaluation;
using Serval.Server.Tests.Support;
using Serval.TestSupport;
using Xunit.Abstractions;

namespace Serval.Server.Tests.Ocr;

/// <summary>The OCR plan over HTTP: the evaluation set's figures against the same models in-process, and bad input.</summary>
public sealed class OcrServiceTests(OcrServiceFixture fixture, ITestOutputHelper output) : IClassFixture<OcrServiceFixture>
{
    private static readonly string EvalSet = Path.Combine(Paths.Root, "tests/ocr-eval");

    [Fact]
    public async Task The_evaluation_set_reads_at_least_95_percent_over_HTTP_as_in_process()
    {
        var truth = OcrTruth.ParseSet(await File.ReadAllTextAsync(Path.Combine(EvalSet, "truth.json")));

        var overHttp = new OcrImageScore[truth.Count];
        await Parallel.ForAsync(0, truth.Count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (i, _) =>
        {
            JsonNode answer = await PredictAsync(Convert.ToBase64String(await File.ReadAllBytesAsync(Path.Combine(EvalSet, truth[i].Image))));
            var lines = answer["data"]!["ndarray"]!.AsArray().Select(l => l!["res"]!.GetValue<string>()).ToList();
            overHttp[i] = OcrImageScore.Compute(truth[i].Lines, lines);
        });

        using OcrEngine engine = OcrEngine.Open(Paths.Models);
        var inProcess = truth.Select(t =>
        {
            RgbImage image = ImageDecoder.Decode(File.ReadAllBytes(Path.Combine(EvalSet, t.Image)));
            return OcrImageScore.Compute(t.Lines, engine.Read(image).Select(l => l.Text).ToList());
        }).ToList();

        OcrScore http = OcrScore.Over(overHttp), local = OcrScore.Over(inProcess);
        output.WriteLine($"HTTP:       character accuracy {http.CharacterAccuracy:0.0000}, line recall {http.LineRecall:0.0000} ({http.Images} images, {http.Lines} lines)");
        output.WriteLine($"in-process: character accuracy {local.CharacterAccuracy:0.0000}, line recall {local.LineRecall:0.0000}");
        Assert.True(http.CharacterAccuracy >= 0.95, $"character accuracy over HTTP {http.CharacterAccuracy:0.0000}");
        Assert.True(http.LineRecall >= 0.95, $"line recall over HTTP {http.LineRecall:0.0000}");
        Assert.Equal(local, http);
    }

    [Fact]
    public async Task A_picture_with_no_text_answers_an_empty_ndarray()
    {
        JsonNode answer = await PredictAsync(Convert.ToBase64String(await File.ReadAllBytesAsync(Path.Combine(Paths.Root, "tests/Serval.Server.Tests/Ocr/blank.png"))));

        Assert.Equal(0, answer["code"]!.GetValue<int>());
        Assert.Empty(answer["data"]!["ndarray"]!.AsArray());
    }

    [Fact]
    public async Task The_form_field_and_the_routed_predict_read_the_same_text()
    {
        string base64 = Convert.ToBase64String(await File.ReadAllBytesAsync(Path.Combine(EvalSet, "004.png")));
        string json = JsonSerializer.Serialize(new { jsonData = base64 });

        using var form = new FormUrlEncodedContent([new("json", json)]);
        using HttpResponseMessage byForm = await fixture.Client.PostAsync("/fn/ocr/predict", form);
        using HttpResponseMessage routed = await fixture.Client.PostAsync("/predict?tid=ocr", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, byForm.StatusCode);
        Assert.Equal(HttpStatusCode.OK, routed.StatusCode);
        Assert.Equal(Texts(await byForm.Content.ReadAsStringAsync()), Texts(await routed.Content.ReadAsStringAsync()));
        Assert.NotEmpty(Texts(await routed.Content.ReadAsStringAsync()));

        static string[] Texts(string answer) =>
            JsonNode.Parse(answer)!["data"]!["ndarray"]!.AsArray().Select(l => l!["res"]!.GetValue<string>()).ToArray();
    }

    [Theory]
    [InlineData("notjson", "the body is not JSON")]
    [InlineData("{\"data\": \"x\"}", "no string field 'jsonData'")]
    [InlineData("{\"jsonData\": \"%%%\"}", "neither base64 nor an http(s) URL")]
    [InlineData("{\"jsonData\": \"aGVsbG8gd29ybGQ=\"}", "not a PNG, JPEG or WebP image")]
    [InlineData("{\"jsonData\": \"ftp://127.0.0.1/a.png\"}", "neither base64 nor an http(s) URL")]
    [InlineData("{\"jsonData\": \"https://example.com/a.png\"}", "host 'example.com' is not allowed")]
    [InlineData("{\"jsonData\": \"http://127.0.0.1:1/a.png\"}", "fetching http://127.0.0.1:1/a.png failed")]
    public async Task Bad_input_is_a_400_naming_the_reason(string body, string reason)
    {
        using HttpResponseMessage response = await fixture.Client.PostAsync("/fn/ocr/predict", new StringContent(body, Encoding.UTF8, "application/json"));
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("step 'detect'", text);
        Assert.Contains(reason, text);
    }

    [Fact]
    public async Task A_truncated_picture_is_a_400()
    {
        byte[] png = await File.ReadAllBytesAsync(Path.Combine(EvalSet, "004.png"));

        using HttpResponseMessage response = await PostPredictAsync(Convert.ToBase64String(png.AsSpan(0, png.Length / 2)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("truncated", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_picture_over_the_pixel_limit_is_refused_from_its_header()
    {
        byte[] jpeg = await File.ReadAllBytesAsync(Path.Combine(EvalSet, "003.jpg"));
        // Claim 60000 × 60000 in the frame header (SOF0: FF C0, length, precision, height, width);
        // a JPEG header has no checksum, so only the size can refuse it.
        int frame = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(frame + 5), 60_000);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(frame + 7), 60_000);

        using HttpResponseMessage response = await PostPredictAsync(Convert.ToBase64String(jpeg));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("60000×60000 = 3600000000 pixels, more than the limit of 40000000", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_picture_at_an_allowed_URL_is_fetched_and_read()
    {
        byte[] png = await File.ReadAllBytesAsync(Path.Combine(EvalSet, "004.png"));
        using var listener = new HttpListener();
        int port = Ports.FreeLoopback();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        Task serve = Task.Run(async () =>
        {
            HttpListenerContext context = await listener.GetContextAsync();
            context.Response.ContentType = "image/png";
            await context.Response.OutputStream.WriteAsync(png);
            context.Response.Close();
        });

        JsonNode answer = await PredictAsync($"http://127.0.0.1:{port}/page.png");
        await serve.WaitAsync(TimeSpan.FromSeconds(10));

        var truth = OcrTruth.ParseSet(await File.ReadAllTextAsync(Path.Combine(EvalSet, "truth.json"))).Single(t => t.Image == "004.png");
        var lines = answer["data"]!["ndarray"]!.AsArray().Select(l => l!["res"]!.GetValue<string>()).ToList();
        Assert.Equal(truth.Lines.Count, OcrImageScore.Compute(truth.Lines, lines).MatchedLines);
    }

    private async Task<JsonNode> PredictAsync(string jsonData)
    {
        using HttpResponseMessage response = await PostPredictAsync(jsonData);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    private Task<HttpResponseMessage> PostPredictAsync(string jsonData) =>
        fixture.Client.PostAsync("/fn/ocr/predict", new StringContent(JsonSerializer.Serialize(new { jsonData }), Encoding.UTF8, "application/json"));
}
