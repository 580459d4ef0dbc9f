using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Serval.Core.Tensors;
using Serval.Onnx;
using Serval.Server.Tests.Support;
using Serval.TestSupport;

namespace Serval.Server.Tests;

/// <summary>The rec model deployed over HTTP, called over OIP v2 and the plain endpoints, compared with ORT in-process.</summary>
public sealed class InferenceTests(ModelsFixture fixture) : IClassFixture<ModelsFixture>
{
    private static readonly long[] RecShape = [1, 3, 48, 320];
    private HttpClient Client => fixture.Server.Client;

    private static float[] InProcess(float[] input)
    {
        using var session = new InferenceSession(Paths.RecModel);
        return session.Run([new NamedTensor("x", Tensor.From<float>(input, RecShape))])[0].Tensor.AsSpan<float>().ToArray();
    }

    [Fact]
    public async Task Metadata_Rec_ReportsRealNamesTypesAndShapes()
    {
        JsonNode meta = await Json.ReadAsync(await Client.GetAsync("/v2/models/ocr-rec"));
        Assert.Equal("ocr-rec", (string?)meta["name"]);
        Assert.Equal("onnxruntime_onnx", (string?)meta["platform"]);
        Assert.Equal("x", (string?)meta["inputs"]![0]!["name"]);
        Assert.Equal("FP32", (string?)meta["inputs"]![0]!["datatype"]);
        Assert.Equal("[-1,3,48,-1]", meta["inputs"]![0]!["shape"]!.ToJsonString());
        Assert.Equal("softmax_11.tmp_0", (string?)meta["outputs"]![0]!["name"]);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/v2/models/ocr-rec/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/v2/models/ocr-rec/versions/1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/v2/health/ready")).StatusCode);
        JsonNode server = await Json.ReadAsync(await Client.GetAsync("/v2"));
        Assert.Equal("serval", (string?)server["name"]);
    }

    [Fact]
    public async Task Infer_JsonTensors_BitIdenticalToInProcess()
    {
        float[] input = Inputs.Floats(3 * 48 * 320, seed: 1);
        string request = JsonSerializer.Serialize(new { inputs = new[] { new { name = "x", datatype = "FP32", shape = RecShape, data = input } } });
        using HttpResponseMessage response = await Client.PostAsync("/v2/models/ocr-rec/infer", new StringContent(request, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonNode answer = await Json.ReadAsync(response);
        JsonNode output = answer["outputs"]![0]!;
        Assert.Equal("softmax_11.tmp_0", (string?)output["name"]);
        Assert.Equal("[1,40,6625]", output["shape"]!.ToJsonString());
        float[] served = output["data"]!.AsArray().Select(v => (float)v!).ToArray();
        float[] expected = InProcess(input);
        Assert.Equal(expected.Length, served.Length);
        Assert.True(MemoryMarshal.AsBytes(expected.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(served.AsSpan())), "JSON output differs from in-process ORT");
    }

    [Fact]
    public async Task Infer_BinaryTensors_BitIdenticalToInProcess()
    {
        float[] input = Inputs.Floats(3 * 48 * 320, seed: 2);
        byte[] data = MemoryMarshal.AsBytes(input.AsSpan()).ToArray();
        byte[] header = JsonSerializer.SerializeToUtf8Bytes(new
        {
            inputs = new[] { new { name = "x", datatype = "FP32", shape = RecShape, parameters = new { binary_data_size = data.Length } } },
            outputs = new[] { new { name = "softmax_11.tmp_0", parameters = new { binary_data = true } } },
        });
        var content = new ByteArrayContent([.. header, .. data]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add("Inference-Header-Content-Length", header.Length.ToString());
        using HttpResponseMessage response = await Client.PostAsync("/v2/models/ocr-rec/infer", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        int jsonLength = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single());
        JsonNode answer = JsonNode.Parse(body.AsSpan(0, jsonLength))!;
        long size = (long)answer["outputs"]![0]!["parameters"]!["binary_data_size"]!;
        Assert.Equal(body.Length - jsonLength, size);
        byte[] expected = MemoryMarshal.AsBytes(InProcess(input).AsSpan()).ToArray();
        Assert.True(expected.AsSpan().SequenceEqual(body.AsSpan(jsonLength)), "binary output differs from in-process ORT");
    }

    [Fact]
    public async Task Invoke_EveryAnswer_CarriesInvocationHeaders()
    {
        using HttpResponseMessage response = await RawRecAsync(Inputs.Floats(3 * 48 * 320));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (string header in new[] { "X-Request-Id", "X-Serval-Duration-Ms", "X-Serval-Billed-Ms", "X-Serval-Memory-MB", "X-Serval-Cold-Start", "X-Serval-Instance", "X-Serval-Version" })
        {
            Assert.True(response.Headers.Contains(header), $"missing {header}");
        }

        Assert.Equal("1", response.Headers.GetValues("X-Serval-Version").Single());
        Assert.True(double.Parse(response.Headers.GetValues("X-Serval-Memory-MB").Single()) > 10);
        Assert.StartsWith("ocr-rec-v1-", response.Headers.GetValues("X-Serval-Instance").Single());
    }

    [Fact]
    public async Task Invoke_FirstCallOfNewFunction_IsColdThenWarm()
    {
        await fixture.Server.DeployModelAsync("cold-probe", Paths.ClsModel);
        using HttpResponseMessage first = await Client.PostAsync("/fn/cold-probe", Raw(Inputs.Floats(3 * 48 * 192), "1,3,48,192"));
        using HttpResponseMessage second = await Client.PostAsync("/fn/cold-probe", Raw(Inputs.Floats(3 * 48 * 192), "1,3,48,192"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("true", first.Headers.GetValues("X-Serval-Cold-Start").Single());
        Assert.Equal("false", second.Headers.GetValues("X-Serval-Cold-Start").Single());
        Assert.Equal(first.Headers.GetValues("X-Serval-Instance").Single(), second.Headers.GetValues("X-Serval-Instance").Single());
    }

    [Fact]
    public async Task RawEndpoint_Rec_AnswersFirstOutputWithShape()
    {
        float[] input = Inputs.Floats(3 * 48 * 320, seed: 3);
        using HttpResponseMessage response = await RawRecAsync(input);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1,40,6625", response.Headers.GetValues("X-Serval-Shape").Single());
        Assert.Equal("FP32", response.Headers.GetValues("X-Serval-Datatype").Single());
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(MemoryMarshal.AsBytes(InProcess(input).AsSpan()).SequenceEqual(body));
    }

    [Fact]
    public async Task Predict_ClsNdarray_AnswersPredictFormat()
    {
        float[] input = Inputs.Floats(3 * 48 * 192, seed: 4);
        var nested = Enumerable.Range(0, 3).Select(c => Enumerable.Range(0, 48).Select(y => input.AsSpan(c * 48 * 192 + y * 192, 192).ToArray()).ToArray()).ToArray();
        string request = JsonSerializer.Serialize(new { ndarray = new[] { nested } });
        using HttpResponseMessage response = await Client.PostAsync("/fn/ocr-cls/predict", new StringContent(request, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonNode answer = await Json.ReadAsync(response);
        Assert.Equal(0, (int)answer["code"]!);
        Assert.Equal(response.Headers.GetValues("X-Request-Id").Single(), (string?)answer["request_id"]);
        JsonArray row = answer["data"]!["ndarray"]![0]!.AsArray();
        Assert.Equal(2, row.Count);
        Assert.InRange((float)row[0]! + (float)row[1]!, 0.999f, 1.001f); // softmax over two angles
    }

    [Fact]
    public async Task Predict_JsonDataBase64AsFormField_SameAnswerAsJsonBody()
    {
        float[] input = Inputs.Floats(3 * 48 * 192, seed: 5);
        string json = JsonSerializer.Serialize(new { jsonData = Convert.ToBase64String(MemoryMarshal.AsBytes(input.AsSpan())), shape = new[] { 1, 3, 48, 192 } });
        using HttpResponseMessage asJson = await Client.PostAsync("/fn/ocr-cls/predict", new StringContent(json, Encoding.UTF8, "application/json"));
        using HttpResponseMessage asForm = await Client.PostAsync("/fn/ocr-cls/predict", new FormUrlEncodedContent([new("json", json)]));
        Assert.Equal(HttpStatusCode.OK, asJson.StatusCode);
        Assert.Equal(HttpStatusCode.OK, asForm.StatusCode);
        Assert.Equal((await Json.ReadAsync(asJson))["data"]!.ToJsonString(), (await Json.ReadAsync(asForm))["data"]!.ToJsonString());
    }

    [Fact]
    public async Task Monitor_AfterCalls_CountsThem()
    {
        await fixture.Server.DeployModelAsync("monitored", Paths.ClsModel);
        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage r = await Client.PostAsync("/fn/monitored", Raw(Inputs.Floats(3 * 48 * 192), "1,3,48,192"));
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        }

        JsonNode monitor = await Json.ReadAsync(await Client.GetAsync("/fn/monitored/monitor"));
        Assert.Equal(3, (long)monitor["Counter"]!);
        Assert.Equal(3.0, (double)monitor["AvgQPM"]!);
        Assert.Matches(@"^\d+\.\d{3}s$", (string)monitor["AvgReqTime"]!);
    }

    private Task<HttpResponseMessage> RawRecAsync(float[] input) => Client.PostAsync("/fn/ocr-rec", Raw(input, "1,3,48,320"));

    internal static ByteArrayContent Raw(float[] input, string shape)
    {
        var content = new ByteArrayContent(MemoryMarshal.AsBytes(input.AsSpan()).ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Headers.Add("X-Serval-Shape", shape);
        return content;
    }
}
