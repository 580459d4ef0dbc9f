using Serval.Core.Specs;

namespace Serval.Core.Tests.Specs;

public class SpecParserTests
{
    private const string ReadmeExample = """
        name: ocr-rec
        runtime: onnx
        model: ch_PP-OCRv4_rec_infer.onnx
        instances: { min: 0, max: 4, concurrency: 4, idle: 60s }
        """;

    [Fact]
    public void Parse_ReadmeExample_ReadsEveryKey()
    {
        Assert.True(ReadmeExample.Split('\n').Length < 10);

        var result = SpecParser.Parse(ReadmeExample);

        Assert.Empty(result.Errors);
        var spec = Assert.IsType<FunctionSpec>(result.Spec);
        Assert.Equal("ocr-rec", spec.Name);
        Assert.Equal(RuntimeKind.Onnx, spec.Runtime);
        Assert.Equal("ch_PP-OCRv4_rec_infer.onnx", spec.Model);
        Assert.Equal(new InstancesSpec { Min = 0, Max = 4, Concurrency = 4, Idle = TimeSpan.FromSeconds(60) }, spec.Instances);
        Assert.Equal([("model", "ch_PP-OCRv4_rec_infer.onnx")], spec.ModelFiles());
    }

    [Fact]
    public void Parse_MinimalOnnxSpec_FillsDefaults()
    {
        var spec = SpecParser.Parse("name: fn\nruntime: onnx\nmodel: m.onnx\n").SpecOrThrow();

        Assert.Equal(new InstancesSpec { Min = 0, Max = 4, Concurrency = 4, Idle = TimeSpan.FromSeconds(60) }, spec.Instances);
        Assert.Equal(new ResourcesSpec { Cpu = 0.5, MemoryMb = 2048, Gpu = 0 }, spec.Resources);
        Assert.Equal(TimeSpan.FromSeconds(60), spec.Timeout);
        Assert.Empty(spec.Env);
        Assert.Empty(spec.Models);
        Assert.Null(spec.Handler);
        Assert.Null(spec.Entry);
        Assert.Null(spec.Description);
    }

    [Fact]
    public void Parse_EmptySections_KeepDefaults()
    {
        var spec = SpecParser.Parse("name: fn\nruntime: onnx\nmodel: m.onnx\ninstances:\nresources: {}\nenv:\n").SpecOrThrow();

        Assert.Equal(new InstancesSpec(), spec.Instances);
        Assert.Equal(new ResourcesSpec(), spec.Resources);
        Assert.Empty(spec.Env);
    }

    [Fact]
    public void Parse_DotnetSpecInBlockStyle_ReadsEveryKeyAndItsLine()
    {
        const string yaml = """
            # OCR as one C# function
            name: ocr-pipeline
            runtime: dotnet
            handler: Ocr.Pipeline+Handler
            entry: src/Ocr.csproj
            description: "detect, classify, recognise"
            models:
              det: ./models/det.onnx
              rec: models//rec.onnx
            instances:
              min: 1
              max: 8
              concurrency: 2
              idle: 5m
            resources:
              cpu: 0.5
              memory: 512Mi
              gpu: 0.25
            timeout: 1h
            env:
              LOG_LEVEL: debug
              THREADS: 4
              EMPTY: ""
            """;

        var spec = SpecParser.Parse(yaml).SpecOrThrow();

        Assert.Equal("ocr-pipeline", spec.Name);
        Assert.Equal(RuntimeKind.Dotnet, spec.Runtime);
        Assert.Equal("Ocr.Pipeline+Handler", spec.Handler);
        Assert.Equal("src/Ocr.csproj", spec.Entry);
        Assert.Equal("detect, classify, recognise", spec.Description);
        Assert.Equal(new Dictionary<string, string> { ["det"] = "models/det.onnx", ["rec"] = "models/rec.onnx" }, spec.Models);
        Assert.Equal(new InstancesSpec { Min = 1, Max = 8, Concurrency = 2, Idle = TimeSpan.FromMinutes(5) }, spec.Instances);
        Assert.Equal(new ResourcesSpec { Cpu = 0.5, MemoryMb = 512, Gpu = 0.25 }, spec.Resources);
        Assert.Equal(TimeSpan.FromHours(1), spec.Timeout);
        Assert.Equal(new Dictionary<string, string> { ["LOG_LEVEL"] = "debug", ["THREADS"] = "4", ["EMPTY"] = "" }, spec.Env);
        Assert.Equal([("models.det", "models/det.onnx"), ("models.rec", "models/rec.onnx")], spec.ModelFiles());

        Assert.Equal(2, spec.Lines["name"]);
        Assert.Equal(7, spec.Lines["models"]);
        Assert.Equal(8, spec.Lines["models.det"]);
        Assert.Equal(10, spec.Lines["instances"]);
        Assert.Equal(12, spec.Lines["instances.max"]);
        Assert.Equal(3, spec.Columns["instances.max"]);
        Assert.Equal(18, spec.Lines["resources.gpu"]);
        Assert.Equal(19, spec.Lines["timeout"]);
        Assert.Equal(23, spec.Lines["env.EMPTY"]);
    }

    [Fact]
    public void Parse_FlowAndBlockStyle_ReadTheSame()
    {
        const string block = """
            name: fn
            runtime: onnx
            model: m.onnx
            instances:
              min: 1
              max: 3
              concurrency: 8
              idle: 90s
            resources:
              cpu: 2
              memory: 1Gi
            env:
              A: "1"
            """;
        const string flow = """
            name: fn
            runtime: onnx
            model: m.onnx
            instances: { min: 1, max: 3, concurrency: 8, idle: 90s }
            resources: { cpu: 2, memory: 1Gi }
            env: { A: "1" }
            """;

        var fromBlock = SpecParser.Parse(block).SpecOrThrow();
        var fromFlow = SpecParser.Parse(flow).SpecOrThrow();

        Assert.Equal(new InstancesSpec { Min = 1, Max = 3, Concurrency = 8, Idle = TimeSpan.FromSeconds(90) }, fromFlow.Instances);
        Assert.Equal(fromBlock.Instances, fromFlow.Instances);
        Assert.Equal(fromBlock.Resources, fromFlow.Resources);
        Assert.Equal(fromBlock.Env, fromFlow.Env);
        Assert.Equal(4, fromFlow.Lines["instances.max"]);
        Assert.Equal(6, fromBlock.Lines["instances.max"]);
    }

    [Fact]
    public void Parse_WholeDocumentAsFlowMapping_Reads()
    {
        var spec = SpecParser.Parse("{ name: fn, runtime: onnx, model: m.onnx, timeout: 30s }").SpecOrThrow();

        Assert.Equal("fn", spec.Name);
        Assert.Equal(TimeSpan.FromSeconds(30), spec.Timeout);
    }

    [Fact]
    public void Parse_AnchorAndAlias_ResolvesTheAlias()
    {
        var spec = SpecParser.Parse("name: fn\nruntime: onnx\nmodel: &m m.onnx\nenv: { MODEL: *m }").SpecOrThrow();

        Assert.Equal("m.onnx", spec.Env["MODEL"]);
    }

    [Fact]
    public void Parse_ManyProblems_ReportsEveryOneInFileOrder()
    {
        const string yaml = """
            name: Bad_Name
            runtime: onnx
            modle: m.onnx
            instances: { min: -1, max: 0 }
            timeout: 2h
            """;

        var result = SpecParser.Parse(yaml);

        Assert.Null(result.Spec);
        Assert.False(result.Ok);
        Assert.Equal(
            ["1:7 name", "2:10 model", "3:1 modle", "4:19 instances.min", "4:28 instances.max", "5:10 timeout"],
            result.Errors.Select(e => $"{e.Line}:{e.Column} {e.Field}"));
    }

    [Fact]
    public void SpecOrThrow_InvalidSpec_ThrowsWithEveryError()
    {
        var result = SpecParser.Parse("name: fn\nruntime: onnx\nmodel: m.onnx\ntimeout: 0s\nfoo: 1", "fn/serval.yaml");

        var error = Assert.Throws<InvalidDataException>(result.SpecOrThrow);

        Assert.Contains("fn/serval.yaml:4:10: timeout: must be at least 1s, got 0s", error.Message);
        Assert.Contains("fn/serval.yaml:5:1: foo: unknown key", error.Message);
    }

    [Fact]
    public void Parse_FileName_AppearsInEveryError()
    {
        var result = SpecParser.Parse("name: fn\nfoo: 1", "examples/fn/serval.yaml");

        Assert.Equal(2, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.Equal("examples/fn/serval.yaml", e.File));
    }
}
