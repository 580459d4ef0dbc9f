using Serval.Server.Tests.Support;
using Serval.TestSupport;

namespace Serval.Server.Tests.Plans;

/// <summary>A platform with the test handlers deployed as plan steps: split, shout, join, and a batching echo.</summary>
public sealed class PlanFixture : IAsyncLifetime
{
    private const string Handlers = "Serval.Instance.TestHandlers";

    /// <summary>The plan most tests deploy: split the text into words, shout each (mapped), join them.</summary>
    public const string SplitShoutJoin = """
        plan:
          steps:
            - { name: split, function: split }
            - { name: shout, function: shout, map: true, concurrency: 8 }
            - { name: join, function: join }
        """;

    public ServerFixture Server { get; } = new();

    public HttpClient Client => Server.Client;

    private string _published = "";

    /// <summary>The published test handlers.</summary>
    public string Published => _published;

    public async Task InitializeAsync()
    {
        Task<string> published = DotnetCli.PublishAsync("tests/Serval.Instance.TestHandlers/Serval.Instance.TestHandlers.csproj");
        await Server.InitializeAsync();
        _published = await published;
        await Server.DeployPublishedAsync("split", _published, $"{Handlers}.Split");
        await Server.DeployPublishedAsync("shout", _published, $"{Handlers}.Shout", "instances: { max: 2, concurrency: 16 }\ntimeout: 20s\n");
        await Server.DeployPublishedAsync("join", _published, $"{Handlers}.Join");
        await Server.DeployPublishedAsync("batch-echo", _published, $"{Handlers}.BatchEcho",
            "instances: { min: 1, max: 1, concurrency: 8 }\nbatching: { max: 8, delay: 200ms }\n");
        await Server.DeployPublishedAsync("echo-alone", _published, $"{Handlers}.BatchEcho", "instances: { max: 1, concurrency: 8 }\n");
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        if (_published.Length > 0)
        {
            Directory.Delete(_published, recursive: true);
        }
    }

    /// <summary>Deploys the plan <paramref name="name"/> with the spec's other keys <paramref name="body"/> and asserts it was accepted.</summary>
    public async Task DeployPlanAsync(string name, string body)
    {
        var (status, answer) = await DeploySpecAsync($"name: {name}\n{body}\n");
        Assert.True(status is 200 or 201, $"deploy of {name}: {status} {answer}");
    }

    /// <summary>Deploys a spec with no files (a plan) and returns the answer's status and body.</summary>
    public async Task<(int Status, string Body)> DeploySpecAsync(string spec)
    {
        using HttpResponseMessage response = await Server.DeployBytesAsync(spec);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
