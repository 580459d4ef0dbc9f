using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Serval.Server;
using Serval.TestSupport;

namespace Serval.Server.Tests.Support;

/// <summary>
/// A real platform on a free loopback port with its own data folder; instances are real processes.
/// Shared by the tests of a class; disposed (instances stopped, folder deleted) after them.
/// </summary>
public sealed class ServerFixture(long maxBodyBytes = ServerFixture.MaxBodyBytes) : IAsyncLifetime
{
    private WebApplication? _app;

    /// <summary>A platform with the default small body limit (for xunit's class fixtures).</summary>
    public ServerFixture()
        : this(MaxBodyBytes)
    {
    }

    /// <summary>The data folder.</summary>
    public string DataDirectory { get; } = Paths.NewTempDir("serval-server");

    /// <summary>A client for the platform.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>The largest body the fixture's platform accepts: small, so a 413 is cheap to provoke.</summary>
    public const long MaxBodyBytes = 4 << 20;

    /// <summary>Services of the running platform.</summary>
    public IServiceProvider Services => _app!.Services;

    public async Task InitializeAsync()
    {
        _app = ServalHost.Build(new ServalOptions { Port = 0, DataDirectory = DataDirectory, MaxBodyBytes = maxBodyBytes },
            logging => logging.SetMinimumLevel(LogLevel.Warning));
        await _app.StartAsync();
        Client = new HttpClient { BaseAddress = ServalHost.Address(_app), Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Deploys <paramref name="spec"/> with files given as (package path, local file).</summary>
    public Task<HttpResponseMessage> DeployAsync(string spec, params (string Path, string LocalFile)[] files) =>
        DeployBytesAsync(spec, files.Select(f => (f.Path, File.ReadAllBytes(f.LocalFile))).ToArray());

    /// <summary>Deploys <paramref name="spec"/> with in-memory files.</summary>
    public async Task<HttpResponseMessage> DeployBytesAsync(string spec, params (string Path, byte[] Content)[] files)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(spec, Encoding.UTF8), "spec");
        foreach (var (path, content) in files)
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, "file", path);
        }

        return await Client.PostAsync("/v1/functions", form);
    }

    /// <summary>Deploys a one-model onnx function and asserts it was accepted.</summary>
    public async Task DeployModelAsync(string name, string modelPath, string extra = "")
    {
        string file = Path.GetFileName(modelPath);
        using HttpResponseMessage response = await DeployAsync($"name: {name}\nruntime: onnx\nmodel: {file}\n{extra}", (file, modelPath));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"deploy of {name} failed: {(int)response.StatusCode} {body}");
    }
}

/// <summary>A second platform on an existing data folder (a restart), sharing nothing else.</summary>
public sealed class ServerFixtureOn(string dataDirectory) : IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>A client for it.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>Starts it.</summary>
    public async Task StartAsync()
    {
        _app = ServalHost.Build(new ServalOptions { Port = 0, DataDirectory = dataDirectory }, logging => logging.SetMinimumLevel(LogLevel.Warning));
        await _app.StartAsync();
        Client = new HttpClient { BaseAddress = ServalHost.Address(_app) };
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
