using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Serval.Core.Tensors;
using Serval.Server.Tests.Support;
using Serval.TestSupport.Onnx;

namespace Serval.Server.Tests.Async;

/// <summary>Async invocations of an onnx function: OIP v2 infer and the raw route, each answered later as the synchronous call would have.</summary>
public sealed class OnnxAsyncTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new();

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        using HttpResponseMessage deployed = await _server.DeployBytesAsync("name: ident\nruntime: onnx\nmodel: ident.onnx\n", ("ident.onnx", OnnxModels.Identity(TensorElementType.Float, 3)));
        Assert.True(deployed.IsSuccessStatusCode, await deployed.Content.ReadAsStringAsync());
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task OipInfer_Async202ThenTheOipAnswerAsResult()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v2/models/ident/infer")
        {
            Content = new StringContent("{\"id\": \"r1\", \"inputs\": [{\"name\": \"x\", \"shape\": [3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Serval-Invocation-Type", "async");
        using HttpResponseMessage accepted = await _server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        string id = (string)(await Json.ReadAsync(accepted))["id"]!;

        JsonNode done = await AsyncCalls.WaitAsync(_server.Client, id, TimeSpan.FromSeconds(30));

        Assert.Equal("Succeeded", (string)done["status"]!);
        JsonNode answer = done["result"]!;
        Assert.Equal("ident", (string)answer["model_name"]!);
        Assert.Equal("r1", (string)answer["id"]!);
        Assert.Equal([1.0, 2.0, 3.0], answer["outputs"]![0]!["data"]!.AsArray().Select(v => (double)v!));
    }

    [Fact]
    public async Task OipInferWithBadInput_400AtOnceNothingStored()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v2/models/ident/infer")
        {
            Content = new StringContent("{\"inputs\": [{\"name\": \"y\", \"shape\": [3], \"datatype\": \"FP32\", \"data\": [1, 2, 3]}]}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Serval-Invocation-Type", "async");

        using HttpResponseMessage response = await _server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'y'", await Json.ErrorAsync(response));
        JsonNode list = await Json.ReadAsync(await _server.Client.GetAsync("/v1/invocations?function=ident"));
        Assert.Empty(list["invocations"]!.AsArray());
    }

    [Fact]
    public async Task RawRoute_ResultIsTheTensorWithItsShapeHeaders()
    {
        byte[] floats = new byte[12];
        BitConverter.TryWriteBytes(floats.AsSpan(0), 1.5f);
        BitConverter.TryWriteBytes(floats.AsSpan(4), -2f);
        BitConverter.TryWriteBytes(floats.AsSpan(8), 4f);
        var request = new HttpRequestMessage(HttpMethod.Post, "/fn/ident") { Content = new ByteArrayContent(floats) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Headers.Add("X-Serval-Invocation-Type", "async");
        request.Headers.Add("X-Serval-Shape", "3");
        using HttpResponseMessage accepted = await _server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        string id = (string)(await Json.ReadAsync(accepted))["id"]!;

        JsonNode done = await AsyncCalls.WaitAsync(_server.Client, id, TimeSpan.FromSeconds(30));
        Assert.Equal("Succeeded", (string)done["status"]!);
        Assert.Equal("base64", (string)done["resultEncoding"]!);
        Assert.Equal(Convert.ToBase64String(floats), (string)done["result"]!);

        using HttpResponseMessage result = await _server.Client.GetAsync($"/v1/invocations/{id}/result");
        Assert.Equal(floats, await result.Content.ReadAsByteArrayAsync());
        Assert.Equal("3", result.Headers.GetValues("X-Serval-Shape").Single());
        Assert.Equal("FP32", result.Headers.GetValues("X-Serval-Datatype").Single());
    }

    [Fact]
    public async Task DeployWithOnnxDestination_400()
    {
        using HttpResponseMessage response = await _server.DeployBytesAsync(TestHandlers.Spec("to-model", "NoOp", "async: { onSuccess: ident }\n"), TestHandlers.Files());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("async.onSuccess: 'ident' is an onnx function: a destination receives a JSON record, which a model cannot read", await Json.ErrorAsync(response));
    }
}
