using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Serval.Server;
using Serval.Node.Capacity;
using Serval.TestSupport;

namespace Serval.Server.Tests.Support;

/// <summary>
/// A real platform on a free loopback port with its own data folder; instances are real processes.
/// Shared by the tests of a class; disposed (instances stopped, folder deleted) after them.
/// </summary>
public sealed class ServerFixture(long maxBodyBytes = ServerFixture.MaxBodyBytes, Func<ServalOptions, ServalOptions>? configure = null) : IAsyncLifetime
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

    /// <summary>Cores the fixture's node offers: plenty, so tests of behaviour are not limited by this machine's two.</summary>
    public const double Cores = 64;

    /// <summary>The largest body the fixture's platform accepts: small, so a 413 is cheap to provoke.</summary>
    public const long MaxBodyBytes = 4 << 20;

    /// <summary>Services of the running platform.</summary>
    public IServiceProvider Services => _app!.Services;

    public async Task InitializeAsync()
    {
        var options = new ServalOptions { Port = 0, DataDirectory = DataDirectory, MaxBodyBytes = maxBodyBytes, NodeCapacity = new NodeCapacity(Cores, 64 << 10), ScalingTick = TimeSpan.FromMilliseconds(200) };
        _app = ServalHost.Build(configure?.Invoke(options) ?? options,
            logging => logging.SetMinimumLevel(LogLevel.Warning));
        await _app.StartAsync();
        Client = ClientWith(null);
        string adminKeyFile = Path.Combine(DataDirectory, "admin.key");
        if (File.Exists(adminKeyFile))
        {
            AdminKey = File.ReadAllText(adminKeyFile).Trim();
            Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        }
    }

    /// <summary>The admin key the platform wrote at its first start with auth on (<see cref="Client"/> sends it); null with auth off.</summary>
    public string? AdminKey { get; private set; }

    /// <summary>A new client for the platform that sends <paramref name="key"/> as its bearer token (none when null).</summary>
    public HttpClient ClientWith(string? key)
    {
        var client = new HttpClient { BaseAddress = ServalHost.Address(_app!), Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    /// <summary>Creates a key through the admin API (as <see cref="Client"/>) and returns its text; <paramref name="request"/> is the create body.</summary>
    public async Task<string> CreateKeyAsync(object request)
    {
        using HttpResponseMessage response = await Client.PostAsJsonAsync("/v1/keys", request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"key create failed: {(int)response.StatusCode} {body}");
        return System.Text.Json.Nodes.JsonNode.Parse(body)!["key"]!.GetValue<string>();
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
    public Task<HttpResponseMessage> DeployBytesAsync(string spec, params (string Path, byte[] Content)[] files) =>
        DeployBytesAsync(Client, spec, files);

    /// <summary>Deploys <paramref name="spec"/> with in-memory files to the platform <paramref name="client"/> talks to.</summary>
    public static async Task<HttpResponseMessage> DeployBytesAsync(HttpClient client, string spec, params (string Path, byte[] Content)[] files)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(spec, Encoding.UTF8), "spec");
        foreach (var (path, content) in files)
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(part, "file", path);
        }

        return await client.PostAsync("/v1/functions", form);
    }

    /// <summary>The function's instances as the control plane lists them.</summary>
    public async Task<System.Text.Json.Nodes.JsonArray> InstancesAsync(string name) =>
        (await Json.ReadAsync(await Client.GetAsync($"/v1/functions/{name}/instances"))).AsArray();

    /// <summary>Polls until <paramref name="condition"/> holds of the function's instances, at most <paramref name="limit"/>.</summary>
    public async Task<System.Text.Json.Nodes.JsonArray> WaitForInstancesAsync(string name, Func<System.Text.Json.Nodes.JsonArray, bool> condition, TimeSpan limit, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var instances = await InstancesAsync(name);
            if (condition(instances))
            {
                return instances;
            }

            Assert.True(clock.Elapsed < limit, $"{name}: {what} did not happen within {limit.TotalSeconds} s; instances: {instances.ToJsonString()}");
            await Task.Delay(50);
        }
    }

    /// <summary>Every file of a published folder, as (package path, content).</summary>
    public static (string Path, byte[] Content)[] PublishedFiles(string publishDir) =>
        Directory.GetFiles(publishDir, "*", SearchOption.AllDirectories)
            .Select(f => (Path.GetRelativePath(publishDir, f).Replace('\\', '/'), File.ReadAllBytes(f)))
            .ToArray();

    /// <summary>Deploys a handler of tests/Serval.Instance.TestHandlers (<c>NoOp</c>, <c>Flaky</c>...) as a dotnet function and asserts it was accepted.</summary>
    public async Task DeployHandlerAsync(string name, string handler, string extra = "", RunLog? runs = null)
    {
        using HttpResponseMessage response = await DeployBytesAsync(TestHandlers.Spec(name, handler, extra), [.. TestHandlers.Files(), .. runs is null ? [] : new[] { runs.File }]);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"deploy of {name} failed: {(int)response.StatusCode} {body}");
    }

    /// <summary>Deploys a dotnet function from a published folder (every file of it) and asserts it was accepted.</summary>
    public async Task DeployPublishedAsync(string name, string publishDir, string handler, string extra = "")
    {
        using HttpResponseMessage response = await DeployBytesAsync($"name: {name}\nruntime: dotnet\nhandler: {handler}\n{extra}", PublishedFiles(publishDir));
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"deploy of {name} failed: {(int)response.StatusCode} {body}");
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
