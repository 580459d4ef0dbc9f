using Serval.Server.Tests.Support;
using Serval.TestSupport;

namespace Serval.Server.Tests.Security;

/// <summary>
/// A platform with auth on (its first start writes the admin key the fixture's client sends), a
/// clock the tests can move (for expiry), and two functions: <c>ocr-a</c> and <c>det-b</c> (NoOp).
/// </summary>
public sealed class AuthFixture : IAsyncLifetime
{
    /// <summary>The clock the platform reads.</summary>
    public ShiftedTimeProvider Clock { get; } = new();

    /// <summary>The platform.</summary>
    public ServerFixture Server { get; }

    public AuthFixture() => Server = new ServerFixture(configure: o => o with { Auth = true, Time = Clock });

    public async Task InitializeAsync()
    {
        await Server.InitializeAsync();
        await Server.DeployHandlerAsync("ocr-a", "NoOp");
        await Server.DeployHandlerAsync("det-b", "NoOp");
    }

    public Task DisposeAsync() => Server.DisposeAsync();
}
