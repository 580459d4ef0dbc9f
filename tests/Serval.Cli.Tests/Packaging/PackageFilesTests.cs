using Serval.Cli.Packaging;
using Serval.TestSupport;

namespace Serval.Cli.Tests.Packaging;

public class PackageFilesTests
{
    [Fact]
    public void Locate_Folder_FindsServalYaml()
    {
        string dir = Paths.NewTempDir();
        File.WriteAllText(Path.Combine(dir, "serval.yaml"), "name: x\n");

        var (spec, folder) = PackageFiles.Locate(dir);

        Assert.Equal(Path.Combine(dir, "serval.yaml"), spec);
        Assert.Equal(dir, folder);
    }

    [Fact]
    public void Locate_FolderWithoutTemplate_Fails()
    {
        string dir = Paths.NewTempDir();

        var e = Assert.Throws<CliException>(() => PackageFiles.Locate(dir));

        Assert.Equal($"no serval.yaml in {dir}", e.Message);
    }

    [Fact]
    public void ModelFiles_Nested_UseForwardSlashPaths()
    {
        string dir = Paths.NewTempDir();
        Directory.CreateDirectory(Path.Combine(dir, "models"));
        File.WriteAllBytes(Path.Combine(dir, "models", "a.onnx"), new byte[3]);

        var files = PackageFiles.ModelFiles(dir, SpecFile.Parse("runtime: onnx\nmodel: models/a.onnx\n"));

        Assert.Equal([new PackageFile("models/a.onnx", Path.Combine(dir, "models", "a.onnx"), 3)], files);
    }

    [Fact]
    public void ModelFiles_OutsideFolder_FailsWithLine()
    {
        string dir = Paths.NewTempDir();

        var e = Assert.Throws<CliException>(() => PackageFiles.ModelFiles(dir, SpecFile.Parse("runtime: onnx\nmodel: ../a.onnx\n")));

        Assert.StartsWith("serval.yaml:2: model: '../a.onnx' is outside the function's folder", e.Message);
    }

    [Fact]
    public void ModelFiles_Missing_FailsWithLine()
    {
        string dir = Paths.NewTempDir();

        var e = Assert.Throws<CliException>(() => PackageFiles.ModelFiles(dir, SpecFile.Parse("runtime: onnx\n\nmodel: a.onnx\n")));

        Assert.Equal("serval.yaml:3: model: no file 'a.onnx' beside serval.yaml", e.Message);
    }

    [Fact]
    public void FindProject_TwoProjects_AsksForEntry()
    {
        string dir = Paths.NewTempDir();
        File.WriteAllText(Path.Combine(dir, "a.csproj"), "");
        File.WriteAllText(Path.Combine(dir, "b.csproj"), "");

        var e = Assert.Throws<CliException>(() => PackageFiles.FindProject(dir, entry: null));

        Assert.Equal("several projects beside serval.yaml (a.csproj, b.csproj): name one with entry:", e.Message);
        Assert.Equal(Path.Combine(dir, "b.csproj"), PackageFiles.FindProject(dir, "b.csproj"));
    }

    [Fact]
    public void DotnetPublishFirstError_CompilerOutput_PicksFirstCsErrorShortened()
    {
        string[] lines =
        [
            "  Determining projects to restore...",
            "/src/fn/obj/x.cs(1,1): warning CS0105: duplicate using [/src/fn/fn.csproj]",
            "/usr/share/dotnet/sdk/Microsoft.Common.targets(10,5): error MSB3030: could not copy [/src/fn/fn.csproj]",
            "/src/fn/Handler.cs(3,5): error CS1002: ; expected [/src/fn/fn.csproj]",
            "/src/fn/Handler.cs(9,1): error CS0103: The name 'x' does not exist [/src/fn/fn.csproj]",
        ];

        Assert.Equal("Handler.cs(3,5): error CS1002: ; expected", DotnetPublish.FirstError(lines, "/src/fn"));
        Assert.Equal(
            "/usr/share/dotnet/sdk/Microsoft.Common.targets(10,5): error MSB3030: could not copy",
            DotnetPublish.FirstError(lines.Take(3), "/src/fn"));
        Assert.Null(DotnetPublish.FirstError(lines.Take(2), "/src/fn"));
    }
}
