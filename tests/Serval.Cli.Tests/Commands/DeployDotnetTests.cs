using System.Text;
using Serval.Cli.Tests.Support;
using Serval.TestSupport;

namespace Serval.Cli.Tests.Commands;

/// <summary>Deploys of <c>dotnet</c> functions, built by a real <c>dotnet publish</c> (a few seconds each).</summary>
public sealed class DeployDotnetTests : IDisposable
{
    private const string Project = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <Nullable>enable</Nullable>
          </PropertyGroup>
        </Project>
        """;

    private readonly FakeServal _server = new();
    private readonly string _dir = Paths.NewTempDir("serval-cli-dotnet");

    public DeployDotnetTests()
    {
        File.WriteAllText(Path.Combine(_dir, "serval.yaml"), """
            name: hello
            runtime: dotnet
            handler: Hello.Handler
            models: { m: m.onnx }
            """);
        File.WriteAllText(Path.Combine(_dir, "hello.csproj"), Project);
        File.WriteAllBytes(Path.Combine(_dir, "m.onnx"), [1, 2, 3]);
        _server.On("POST", "/v1/functions", Answer.Json(201, """{"name":"hello","version":1,"digest":"sha256:0a0b0c0d0e0f0a0b0c"}"""));
    }

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Deploy_DotnetFunction_UploadsPublishedFilesAndModels()
    {
        File.WriteAllText(Path.Combine(_dir, "Handler.cs"), "namespace Hello; public sealed class Handler { }");

        var run = await CliRunner.RunAsync("deploy", _dir, "--url", _server.Url);

        Assert.Equal("", run.Error);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("deployed hello version 1 (0a0b0c0d0e0f)", run.Output.Trim());
        var upload = _server.Requests.Single(r => r.Method == "POST");
        var parts = await Multipart.ReadAsync(upload);
        Assert.StartsWith("name: hello", Encoding.UTF8.GetString(parts[0].Body));
        var files = parts.Skip(1).Select(p => p.FileName).ToList();
        Assert.Contains("hello.dll", files);
        Assert.Contains("hello.deps.json", files);
        Assert.Contains("m.onnx", files);
        Assert.All(parts.Skip(1), p => Assert.Equal("file", p.Name));
        Assert.DoesNotContain(files, f => f!.Contains('\\') || f.StartsWith('/'));
    }

    [Fact]
    public async Task Deploy_CompileError_PrintsTheFirstErrorLineAndUploadsNothing()
    {
        File.WriteAllText(Path.Combine(_dir, "Handler.cs"), "namespace Hello; public sealed class Handler { int x = }");

        var run = await CliRunner.RunAsync("deploy", _dir, "--url", _server.Url);

        Assert.Equal(1, run.ExitCode);
        Assert.Matches(@"^build failed: Handler\.cs\(1,\d+\): error CS\d{4}: ", run.Error);
        Assert.Single(run.Error.Trim().Split('\n'));
        Assert.DoesNotContain(_server.Requests, r => r.Method == "POST");
    }
}
