using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Serval.Core.Oip;
using Serval.Core.Tensors;
using Serval.Cli.Tests.Support;
using Serval.TestSupport;

namespace Serval.Cli.Tests.Commands;

public sealed class InvokeCommandTests : IDisposable
{
    private readonly FakeServal _server = new();
    private readonly string _dir = Paths.NewTempDir("serval-cli");

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private static byte[] Bytes(params float[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private string WriteFile(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private void AnswerBinary(string path, params NamedTensor[] outputs)
    {
        var encoded = OipWriter.Encode(new OipFields(ModelName: "tiny", ModelVersion: "2"), "outputs", outputs, _ => true);
        _server.On("POST", path, new Answer(200, encoded.Body, OipBinary.ContentType, new Dictionary<string, string>
        {
            [OipBinary.HeaderLengthName] = encoded.HeaderLength.ToString(),
            ["X-Serval-Version"] = "2",
            ["X-Serval-Duration-Ms"] = "12.5",
            ["X-Serval-Cold-Start"] = "true",
            ["X-Serval-Instance"] = "tiny-2-a",
        }));
    }

    [Fact]
    public async Task Invoke_InputFileWithShape_SendsBinaryTensorRequest()
    {
        byte[] x = Bytes(1, 2, 3, 4, 5, 6);
        string file = WriteFile("x.bin", x);
        AnswerBinary("/v2/models/tiny/infer", new NamedTensor("y", Tensor.From<float>([0.1f, 0.2f, 0.7f], [1, 3])));

        var run = await CliRunner.RunAsync("invoke", "tiny", $"x=@{file}", "--shape", "x=1,2,3", "--url", _server.Url);

        Assert.Equal("", run.Error);
        Assert.Equal(0, run.ExitCode);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal(OipBinary.ContentType, request.ContentType);
        int headerLength = int.Parse(request.Headers[OipBinary.HeaderLengthName]!);
        var sent = OipReader.Read(request.Body, headerLength);
        var input = Assert.Single(sent.Inputs);
        Assert.Equal(("x", TensorElementType.Float), (input.Name, input.Tensor.ElementType));
        Assert.Equal([1L, 2, 3], input.Tensor.Shape);
        Assert.Equal(x, input.Tensor.Data.ToArray());
        var header = JsonNode.Parse(request.Body.AsSpan(0, headerLength))!;
        Assert.Equal(24, (int)header["inputs"]![0]!["parameters"]!["binary_data_size"]!);
        Assert.True(sent.BinaryDataOutput);

        Assert.Matches(@"y\s+FP32\s+\[1,3\]\s+0\.1, 0\.2, 0\.7", run.Output);
        Assert.Contains("version 2 · 12.5 ms · cold start · instance tiny-2-a", run.Output);
    }

    [Fact]
    public async Task Invoke_NoShape_TakesItFromTheModelMetadata()
    {
        string file = WriteFile("x.bin", Bytes(1, 2, 3, 4, 5, 6));
        _server.On("GET", "/v2/models/tiny/versions/2", Answer.Json(200,
            """{"name":"tiny","versions":["2"],"platform":"onnxruntime_onnx","inputs":[{"name":"x","datatype":"FP32","shape":[-1,3]}],"outputs":[]}"""));
        AnswerBinary("/v2/models/tiny/versions/2/infer", new NamedTensor("y", Tensor.From<long>([7], [1])));

        var run = await CliRunner.RunAsync("invoke", "tiny", "--version", "2", $"x=@{file}", "--url", _server.Url);

        Assert.Equal(0, run.ExitCode);
        var infer = _server.Requests.Last();
        var sent = OipReader.Read(infer.Body, int.Parse(infer.Headers[OipBinary.HeaderLengthName]!));
        Assert.Equal([2L, 3], sent.Inputs[0].Tensor.Shape);
    }

    [Fact]
    public async Task Invoke_DataFile_PostsItAsJsonAndWritesTheAnswer()
    {
        string request = """{"inputs":[{"name":"x","datatype":"FP32","shape":[1,2],"data":[1,2]}]}""";
        string file = WriteFile("req.json", System.Text.Encoding.UTF8.GetBytes(request));
        string outFile = Path.Combine(_dir, "out.json");
        float[] long_ = Enumerable.Range(0, 20).Select(i => i == 13 ? 5f : 0f).ToArray();
        AnswerBinary("/v2/models/tiny/infer", new NamedTensor("probs", Tensor.From<float>(long_, [1, 20])));

        var run = await CliRunner.RunAsync("invoke", "tiny", "--data", file, "--output", outFile, "--url", _server.Url);

        Assert.Equal(0, run.ExitCode);
        var sent = Assert.Single(_server.Requests);
        Assert.Equal("application/json", sent.ContentType);
        Assert.Equal(request, sent.BodyText);
        Assert.Contains("argmax 13", run.Output);
        var written = JsonNode.Parse(File.ReadAllText(outFile))!;
        Assert.Equal(20, written["outputs"]![0]!["data"]!.AsArray().Count);
        Assert.Equal(5f, (float)written["outputs"]![0]!["data"]![13]!);
    }

    [Fact]
    public async Task Invoke_ServerAnswers400_PrintsItsError()
    {
        string file = WriteFile("x.bin", Bytes(1, 2));
        _server.On("POST", "/v2/models/tiny/infer", Answer.Json(400, """{"error":"input 'x': expected shape [-1,3], got [1,2]"}"""));

        var run = await CliRunner.RunAsync("invoke", "tiny", $"x=@{file}", "--shape", "1,2", "--url", _server.Url);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("input 'x': expected shape [-1,3], got [1,2]", run.Error.Trim());
    }

    [Fact]
    public async Task Invoke_ShapeNotMatchingFile_FailsBeforeSending()
    {
        string file = WriteFile("x.bin", Bytes(1, 2));

        var run = await CliRunner.RunAsync("invoke", "tiny", $"x=@{file}", "--shape", "x=1,3", "--url", _server.Url);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("x: shape [1,3] needs 12 bytes at 4 per element, the file has 8", run.Error.Trim());
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Invoke_NoInputs_SaysWhatToGive()
    {
        var run = await CliRunner.RunAsync("invoke", "tiny", "--url", _server.Url);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("INPUT=@FILE", run.Error);
    }
}
