using Serval.Instance.Tests.Support;
using Serval.TestSupport;

namespace Serval.Instance.Tests.Hosting;

/// <summary>One rec instance (concurrency 4) and a connection to it, shared by a test class.</summary>
public sealed class RecInstanceFixture : IAsyncLifetime
{
    internal InstanceProcess Instance { get; private set; } = null!;

    internal InstanceClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Instance = await InstanceProcess.StartReadyAsync(Packages.Onnx(Paths.RecModel));
        Client = await Instance.ConnectAsync();
    }

    public async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        await Instance.DisposeAsync();
    }
}
