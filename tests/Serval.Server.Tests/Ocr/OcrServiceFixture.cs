using Serval.Server.Tests.Support;
using Serval.TestSupport;

namespace Serval.Server.Tests.Ocr;

/// <summary>
/// The OCR service of examples/ocr deployed as it ships: its three templates and the plan, the
/// published functions and the PP-OCRv4 models.
/// </summary>
public sealed class OcrServiceFixture : IAsyncLifetime
{
    public OcrServiceFixture()
        : this(null)
    {
    }

    /// <summary>The service on a platform whose options <paramref name="configure"/> changes (tracing on, say).</summary>
    internal OcrServiceFixture(Func<ServalOptions, ServalOptions>? configure) => Server = new ServerFixture(configure: configure);

    public ServerFixture Server { get; }

    public HttpClient Client => Server.Client;

    private string _published = "";

    public async Task InitializeAsync()
    {
        Task<string> published = DotnetCli.PublishAsync("examples/ocr/OcrFunctions.csproj");
        await Server.InitializeAsync();
        _published = await published;
        var code = ServerFixture.PublishedFiles(_published);
        var models = new[] { Paths.DetModel, Paths.RecModel, Paths.ClsModel }.Select(m => (Path.GetFileName(m), File.ReadAllBytes(m)));
        (string, byte[])[] files = [.. code, .. models];
        foreach (string template in (string[])["detect.yaml", "recognize.yaml", "order.yaml", "serval.yaml"])
        {
            string spec = await File.ReadAllTextAsync(Path.Combine(Paths.Root, "examples/ocr", template));
            using HttpResponseMessage response = await Server.DeployBytesAsync(spec, template == "serval.yaml" ? [] : files);
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"deploy of examples/ocr/{template}: {(int)response.StatusCode} {body}");
        }
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        if (_published.Length > 0)
        {
            Directory.Delete(_published, recursive: true);
        }
    }
}
