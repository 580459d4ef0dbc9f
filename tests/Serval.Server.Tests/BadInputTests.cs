using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Serval.Server.Tests.Support;

namespace Serval.Server.Tests;

/// <summary>Every malformed invocation gets a 4xx whose message names what was wrong, expected and received.</summary>
public sealed class BadInputTests(ModelsFixture fixture) : IClassFixture<ModelsFixture>
{
    private HttpClient Client => fixture.Server.Client;

    private static StringContent JsonBody(object request) => new(JsonSerializer.Serialize(request), Encoding.UTF8, "application/json");

    private static object Input(string name, string datatype, long[] shape, object data) => new { inputs = new[] { new { name, datatype, shape, data } } };

    private async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, params string[] fragments)
    {
        string error = await Json.ErrorAsync(response);
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {error}");
        foreach (string fragment in fragments)
        {
            Assert.Contains(fragment, error);
        }
    }

    [Fact]
    public async Task Infer_WrongInputName_400NamesInputAndModelInputs()
    {
        using var r = await Client.PostAsync("/v2/models/ocr-cls/infer", JsonBody(Input("image", "FP32", [1, 3, 48, 192], new float[3 * 48 * 192])));
        await AssertErrorAsync(r, HttpStatusCode.BadRequest, "unknown input 'image'", "x (FP32 [-1,3,-1,-1])");
    }

    [Fact]
    public async Task Infer_WrongShape_400ExpectedAndReceived()
    {
        using var r = await Client.PostAsync("/v2/models/ocr-rec/infer", JsonBody(Input("x", "FP32", [1, 3, 47, 320], new float[3 * 47 * 320])));
        await AssertErrorAsync(r, HttpStatusCode.BadRequest, "input 'x'", "expected shape [-1,3,48,-1]", "got [1,3,47,320]");
    }

    [Fact]
    public async Task Infer_WrongDatatype_400ExpectedAndReceived()
    {
        using var r = await Client.PostAsync("/v2/models/ocr-cls/infer", JsonBody(Input("x", "INT64", [1, 3, 48, 192], new long[3 * 48 * 192])));
        await AssertErrorAsync(r, HttpStatusCode.BadRequest, "input 'x'", "expected datatype FP32, got INT64");
    }

    [Fact]
    public async Task Infer_JsonDataCountMismatch_400CountsBoth()
    {
        using var r = await Client.PostAsync("/v2/models/ocr-cls/infer", JsonBody(Input("x", "FP32", [1, 3, 48, 192], new float[100])));
        await AssertErrorAsync(r, HttpStatusCode.BadRequest, "input 'x'", "holds 27648 elements, data has 100");
    }

    [Fact]
    public async Task Infer_BinarySizeMismatch_400BytesBoth()
    {
        byte[] data = new byte[1000];
        byte[] header = JsonSerializer.SerializeToUtf8Bytes(new { inputs = new[] { new { name = "x", datatype = "FP32", shape = new[] { 1, 3, 48, 192 }, parameters = new { binary_data_size = data.Length } } } });
        var content = new ByteArrayContent([.. header, .. data]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add("Inference-Header-Content-Length", header.Length.ToString());
        using var r = await Client.PostAsync("/v2/models/ocr-cls/infer", content);
        await AssertErrorAsync(r, HttpStatusCode.BadRequest, "input 'x'", "needs 110592 bytes, got 1000");
    }

    [Fact]
    public async Task Infer_MalformedJson_400()
    {
        using var r = await Client.PostAsync("/v2/models/ocr-cls/infer", new StringContent("{\"inputs\": [", Encoding.UTF8, "application/json"));
        await AssertErrorAsync(r, HttpStatusCode.BadRequest, "malformed JSON");
    }

    [Fact]
    public async Task Infer_MissingInput_400NamesIt()
    {
        using var r = await Client.PostAsync("/v2/models/ocr-cls/infer", JsonBody(new { inputs = Array.Empty<object>() }));
        await AssertErrorAsync(r, HttpStatusCode.BadRequest, "input 'x' is missing");
    }

    [Fact]
    public async Task Infer_BodyOverLimit_413NamesLimit()
    {
        var content = new ByteArrayContent(new byte[ServerFixture.MaxBodyBytes + 1]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var r = await Client.PostAsync("/v2/models/ocr-cls/infer", content);
        await AssertErrorAsync(r, HttpStatusCode.RequestEntityTooLarge, "over the limit of 4 MiB");
        using var raw = await Client.PostAsync("/fn/ocr-cls", new ByteArrayContent(new byte[ServerFixture.MaxBodyBytes + 1]));
        await AssertErrorAsync(raw, HttpStatusCode.RequestEntityTooLarge, "over the limit");
    }

    [Fact]
    public async Task Infer_UnknownModelOrVersion_404()
    {
        using var model = await Client.PostAsync("/v2/models/nope/infer", JsonBody(new { inputs = Array.Empty<object>() }));
        await AssertErrorAsync(model, HttpStatusCode.NotFound, "no model named 'nope'");
        using var version = await Client.PostAsync("/v2/models/ocr-cls/versions/9/infer", JsonBody(new { inputs = Array.Empty<object>() }));
        await AssertErrorAsync(version, HttpStatusCode.NotFound, "has no version '9'");
        using var meta = await Client.GetAsync("/v2/models/nope");
        Assert.Equal(HttpStatusCode.NotFound, meta.StatusCode);
        using var fn = await Client.PostAsync("/fn/nope", new ByteArrayContent([1]));
        await AssertErrorAsync(fn, HttpStatusCode.NotFound, "no function named 'nope'");
    }

    [Fact]
    public async Task Raw_DataLengthNotMatchingShape_400()
    {
        var content = new ByteArrayContent(MemoryMarshal.AsBytes(new float[10].AsSpan()).ToArray());
        content.Headers.Add("X-Serval-Shape", "1,3,48,192");
        using var r = await Client.PostAsync("/fn/ocr-cls", content);
        await AssertErrorAsync(r, HttpStatusCode.BadRequest, "needs 110592 bytes, got 40");
    }

    [Fact]
    public async Task Predict_NotBase64_400()
    {
        using var r = await Client.PostAsync("/fn/ocr-cls/predict", JsonBody(new { jsonData = "%%%not base64%%%" }));
        await AssertErrorAsync(r, HttpStatusCode.BadRequest, "jsonData is not valid base64");
    }

    [Fact]
    public async Task BadRequests_LeaveTheFunctionServing()
    {
        using var bad = await Client.PostAsync("/v2/models/ocr-cls/infer", JsonBody(Input("x", "FP32", [1, 3, 48], new float[3 * 48])));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var good = await Client.PostAsync("/fn/ocr-cls", InferenceTests.Raw(Inputs.Floats(3 * 48 * 192), "1,3,48,192"));
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
    }
}
