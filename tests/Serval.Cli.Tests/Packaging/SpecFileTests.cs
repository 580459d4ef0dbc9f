using Serval.Cli.Packaging;

namespace Serval.Cli.Tests.Packaging;

public class SpecFileTests
{
    [Fact]
    public void Parse_PlainModel_ReadsNameRuntimeAndModel()
    {
        var spec = SpecFile.Parse("""
            # the recogniser
            name: ocr-rec
            runtime: onnx   # built in
            model: "models/rec.onnx"
            instances: { min: 0, max: 4, concurrency: 4, idle: 60s }
            """);

        Assert.Equal("ocr-rec", spec.Name);
        Assert.Equal("onnx", spec.Runtime);
        Assert.Null(spec.Entry);
        Assert.Equal([("model", "models/rec.onnx", 4)], spec.ModelFiles);
    }

    [Fact]
    public void Parse_ModelsAsBlock_ReadsEachWithItsLine()
    {
        var spec = SpecFile.Parse("""
            name: ocr
            runtime: dotnet
            handler: Ocr.Handler
            entry: src/Ocr.csproj
            models:
              det: det.onnx
              rec: 'rec #2.onnx'   # a comment
            env:
              A: b
            """);

        Assert.Equal("dotnet", spec.Runtime);
        Assert.Equal("src/Ocr.csproj", spec.Entry);
        Assert.Equal([("models.det", "det.onnx", 6), ("models.rec", "rec #2.onnx", 7)], spec.ModelFiles);
    }

    [Fact]
    public void Parse_ModelsAsFlowMap_ReadsEach()
    {
        var spec = SpecFile.Parse("name: x\r\nruntime: dotnet\r\nmodels: { det: a.onnx, rec: b.onnx }\r\n");

        Assert.Equal(["a.onnx", "b.onnx"], spec.ModelFiles.Select(m => m.Path));
    }

    [Fact]
    public void Parse_NoRuntime_LeavesItNull()
    {
        Assert.Null(SpecFile.Parse("name: x\n").Runtime);
    }
}
