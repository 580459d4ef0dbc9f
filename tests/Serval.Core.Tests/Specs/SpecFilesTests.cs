using Serval.Core.Specs;

namespace Serval.Core.Tests.Specs;

public class SpecFilesTests
{
    private static readonly FunctionSpec Onnx = SpecParser.Parse("name: fn\nruntime: onnx\nmodel: rec.onnx\n").SpecOrThrow();

    private static readonly FunctionSpec Dotnet = SpecParser.Parse(
        "name: fn\nruntime: dotnet\nhandler: My.Handler\nmodels:\n  det: models/det.onnx\n  rec: models/rec.onnx\n").SpecOrThrow();

    [Fact]
    public void Check_EveryFilePresent_ReportsNothing()
    {
        var files = new HashSet<string> { "models/det.onnx", "models/rec.onnx" };

        Assert.Empty(SpecFiles.Check(Dotnet, "serval.yaml", files.Contains, files));
    }

    [Fact]
    public void Check_ModelMissing_NamesTheFileFieldAndLineAndListsThePackage()
    {
        string[] files = ["det.onnx", "cls.onnx", "serval.yaml"];

        var error = Assert.Single(SpecFiles.Check(Onnx, "serval.yaml", files.Contains, files));

        Assert.Equal(
            "serval.yaml:3:1: model: file 'rec.onnx' is not in the package "
            + "(hint: files are paths relative to serval.yaml; the package has: cls.onnx, det.onnx)",
            error.ToString());
    }

    [Fact]
    public void Check_ModelInAnotherFolder_SuggestsIt()
    {
        string[] files = ["models/rec.onnx"];

        var error = Assert.Single(SpecFiles.Check(Onnx, "serval.yaml", files.Contains, files));

        Assert.Equal("files are paths relative to serval.yaml; did you mean 'models/rec.onnx'?", error.Hint);
    }

    [Fact]
    public void Check_NamedModelMisspeltInPackage_ReportsItsKeyAndSuggestsTheNearName()
    {
        string[] files = ["models/det.onnx", "model/rec.onnx"];

        var error = Assert.Single(SpecFiles.Check(Dotnet, "fn/serval.yaml", files.Contains, files));

        Assert.Equal(("fn/serval.yaml", "models.rec", 6, 3), (error.File, error.Field, error.Line, error.Column));
        Assert.Equal("file 'models/rec.onnx' is not in the package", error.Message);
        Assert.Contains("did you mean 'model/rec.onnx'?", error.Hint);
    }

    [Fact]
    public void Check_NoPackageList_HintsThatPathsAreRelative()
    {
        var errors = SpecFiles.Check(Dotnet, "serval.yaml", _ => false);

        Assert.Equal(["models.det", "models.rec"], errors.Select(e => e.Field));
        Assert.All(errors, e => Assert.Equal("files are paths relative to serval.yaml", e.Hint));
    }

    [Fact]
    public void Check_PackageWithoutModels_ListsWhatItHas()
    {
        string[] files = ["serval.yaml", "README.md"];

        var error = Assert.Single(SpecFiles.Check(Onnx, "serval.yaml", files.Contains, files));

        Assert.EndsWith("the package has no .onnx file; it has: README.md, serval.yaml", error.Hint);
    }

    [Fact]
    public void Check_ManyModels_ListsTheFirstEightAndCountsTheRest()
    {
        var files = Enumerable.Range(0, 12).Select(i => $"m{i:00}.onnx").ToArray();

        var error = Assert.Single(SpecFiles.Check(Onnx, "serval.yaml", files.Contains, files));

        Assert.EndsWith("the package has: m00.onnx, m01.onnx, m02.onnx, m03.onnx, m04.onnx, m05.onnx, m06.onnx, m07.onnx and 4 more", error.Hint);
    }
}
