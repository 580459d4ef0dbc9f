namespace Serval.Server.Tests.Support;

/// <summary>The handlers of tests/Serval.Instance.TestHandlers as a dotnet function's package: its build output (the test project builds it).</summary>
public static class TestHandlers
{
    private const string Assembly = "Serval.Instance.TestHandlers";

    /// <summary>The build output folder, in the configuration the tests were built in.</summary>
    public static string Directory
    {
        get
        {
            string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            return Path.Combine(Serval.TestSupport.Paths.Root, "tests", Assembly, "bin", configuration, "net10.0");
        }
    }

    /// <summary>The spec of a function running <paramref name="handler"/> (a class name without the namespace).</summary>
    public static string Spec(string name, string handler, string extra = "") =>
        $"name: {name}\nruntime: dotnet\nhandler: {Assembly}.{handler}\n{extra}";

    /// <summary>The package: the assembly and its deps.json (the SDK comes from the instance host).</summary>
    public static (string Path, byte[] Content)[] Files() =>
        [.. new[] { $"{Assembly}.dll", $"{Assembly}.deps.json" }.Select(f => (f, File.ReadAllBytes(Path.Combine(Directory, f))))];
}
