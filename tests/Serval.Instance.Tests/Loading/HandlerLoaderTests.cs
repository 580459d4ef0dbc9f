using Serval.Instance.Loading;
using Serval.Instance.Runtimes;
using Serval.TestSupport;

namespace Serval.Instance.Tests.Loading;

public sealed class HandlerLoaderTests : IDisposable
{
    private readonly string _package = Paths.NewTempDir("serval-pkg");

    public void Dispose() => Directory.Delete(_package, recursive: true);

    [Fact]
    public void FindEntryAssembly_OneDepsJson_TheDllBesideIt()
    {
        File.WriteAllText(Path.Combine(_package, "Hello.deps.json"), "{}");
        File.WriteAllText(Path.Combine(_package, "Hello.dll"), "");
        File.WriteAllText(Path.Combine(_package, "Other.dll"), "");

        Assert.Equal(Path.Combine(_package, "Hello.dll"), HandlerLoader.FindEntryAssembly(_package));
    }

    [Fact]
    public void FindEntryAssembly_NoDepsJson_ExplainsPublishOutput()
    {
        File.WriteAllText(Path.Combine(_package, "Hello.dll"), "");

        var e = Assert.Throws<InstanceLoadException>(() => HandlerLoader.FindEntryAssembly(_package));

        Assert.Contains("has no *.deps.json in its root; a dotnet function is deployed as the output of 'dotnet publish'", e.Message);
    }

    [Fact]
    public void FindEntryAssembly_TwoDepsJson_NamesBoth()
    {
        File.WriteAllText(Path.Combine(_package, "B.deps.json"), "{}");
        File.WriteAllText(Path.Combine(_package, "A.deps.json"), "{}");

        var e = Assert.Throws<InstanceLoadException>(() => HandlerLoader.FindEntryAssembly(_package));

        Assert.Equal("the package has 2 *.deps.json files in its root (A.deps.json, B.deps.json); it must hold exactly one published entry assembly", e.Message);
    }

    [Fact]
    public void FindEntryAssembly_DllMissing_NamesIt()
    {
        File.WriteAllText(Path.Combine(_package, "Hello.deps.json"), "{}");

        var e = Assert.Throws<InstanceLoadException>(() => HandlerLoader.FindEntryAssembly(_package));

        Assert.Equal("'Hello.deps.json' has no 'Hello.dll' beside it", e.Message);
    }
}
