using System.Text;
using Serval.Cli.Tests.Support;
using Serval.TestSupport;

namespace Serval.Cli.Tests.Commands;

public sealed class DeployCommandTests : IDisposable
{
    private const string Spec = """
        name: tiny
        runtime: onnx
        model: models/tiny.onnx
        instances: { min: 0, max: 2 }
        """;

    private readonly FakeServal _server = new();
    private readonly string _dir = Paths.NewTempDir("serval-cli");
    private readonly byte[] _model = new byte[300_000];

    public DeployCommandTests()
    {
        Random.Shared.NextBytes(_model);
        Directory.CreateDirectory(Path.Combine(_dir, "models"));
        File.WriteAllText(Path.Combine(_dir, "serval.yaml"), Spec);
        File.WriteAllBytes(Path.Combine(_dir, "models", "tiny.onnx"), _model);
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "not part of the package");
    }

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Deploy_OnnxFolder_UploadsSpecAndModelAsMultipart()
    {
        _server.On("POST", "/v1/functions", Answer.Json(201,
            """{"name":"tiny","version":1,"runtime":"onnx","digest":"sha256:4f2a9c01d3e5b7aa99","files":[]}"""));

        var run = await CliRunner.RunAsync("deploy", _dir, "--url", _server.Url);

        Assert.Equal("", run.Error);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("deployed tiny version 1 (4f2a9c01d3e5)", run.Output.Trim());
        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        var parts = await Multipart.ReadAsync(request);
        Assert.Equal(["spec", "file"], parts.Select(p => p.Name));
        Assert.Null(parts[0].FileName);
        Assert.Equal(Spec, Encoding.UTF8.GetString(parts[0].Body));
        Assert.Equal("models/tiny.onnx", parts[1].FileName);
        Assert.Equal(_model, parts[1].Body);
        Assert.Equal(request.Body.Length.ToString(), request.Headers["Content-Length"]);
    }

    [Fact]
    public async Task Deploy_TemplateFile_UsesItsFolder()
    {
        _server.On("POST", "/v1/functions", Answer.Json(200, """{"name":"tiny","version":3,"digest":"sha256:00112233445566778899"}"""));

        var run = await CliRunner.RunAsync("deploy", Path.Combine(_dir, "serval.yaml"), "--url", _server.Url);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("deployed tiny version 3 (001122334455) unchanged: the same as the latest version", run.Output.Trim());
    }

    [Fact]
    public async Task Deploy_ServerAnswers400_PrintsItsErrorAndExits1()
    {
        _server.On("POST", "/v1/functions", Answer.Json(400,
            """{"error":"serval.yaml:4: instances.max: must be at least 1 (got 0)"}"""));

        var run = await CliRunner.RunAsync("deploy", _dir, "--url", _server.Url);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("serval.yaml:4: instances.max: must be at least 1 (got 0)", run.Error.Trim());
        Assert.Equal("", run.Output);
    }

    [Fact]
    public async Task Deploy_ServerAnswersNonJson500_PrintsStatusLine()
    {
        _server.On("POST", "/v1/functions", new Answer(500, Encoding.UTF8.GetBytes("boom\nat line 2"), "text/plain"));

        var run = await CliRunner.RunAsync("deploy", _dir, "--url", _server.Url);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("HTTP 500 Internal Server Error: boom", run.Error.Trim());
    }

    [Fact]
    public async Task Deploy_ModelFileMissing_FailsBeforeUploading()
    {
        File.Delete(Path.Combine(_dir, "models", "tiny.onnx"));

        var run = await CliRunner.RunAsync("deploy", _dir, "--url", _server.Url);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("serval.yaml:3: model: no file 'models/tiny.onnx' beside serval.yaml", run.Error.Trim());
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Deploy_ConnectionRefused_SaysCannotReach()
    {
        string url = $"http://127.0.0.1:{FakeServal.FreePort()}";

        var run = await CliRunner.RunAsync("deploy", _dir, "--url", url);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"cannot reach Serval at {url}: is it running? (./serval up)", run.Error.Trim());
    }
}
