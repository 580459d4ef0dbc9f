using Serval.TestSupport;

namespace Serval.Instance.Tests.Support;

/// <summary>The published hello-dotnet example (with the cls model copied in) and the test handlers, once per test class.</summary>
public sealed class PackagesFixture : IAsyncLifetime
{
    public string Hello { get; private set; } = "";

    public string Handlers { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Task<string> hello = DotnetCli.PublishAsync("examples/hello-dotnet/HelloDotnet.csproj");
        Task<string> handlers = DotnetCli.PublishAsync("tests/Serval.Instance.TestHandlers/Serval.Instance.TestHandlers.csproj");
        Hello = await hello;
        Handlers = await handlers;
        File.Copy(Paths.ClsModel, Path.Combine(Hello, Path.GetFileName(Paths.ClsModel)));
    }

    public Task DisposeAsync()
    {
        foreach (string dir in new[] { Hello, Handlers })
        {
            if (dir.Length > 0 && Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        return Task.CompletedTask;
    }
}
