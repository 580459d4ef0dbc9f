using Serval.TestSupport;

namespace Serval.Server.Tests.Support;

/// <summary>A platform with the PP-OCRv4 rec and cls models deployed as <c>ocr-rec</c> and <c>ocr-cls</c>.</summary>
public sealed class ModelsFixture : IAsyncLifetime
{
    /// <summary>The platform.</summary>
    public ServerFixture Server { get; } = new();

    public async Task InitializeAsync()
    {
        await Server.InitializeAsync();
        await Server.DeployModelAsync("ocr-rec", Paths.RecModel);
        await Server.DeployModelAsync("ocr-cls", Paths.ClsModel, "timeout: 30s");
    }

    public Task DisposeAsync() => Server.DisposeAsync();
}
