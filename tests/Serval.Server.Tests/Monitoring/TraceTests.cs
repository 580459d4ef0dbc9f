using System.Net;
using System.Text.Json.Nodes;
using Serval.Server.Monitoring;
using Serval.Server.Tests.Support;
using Serval.TestSupport;

namespace Serval.Server.Tests.Monitoring;

/// <summary>A direct call traced: the caller's trace continued, and its traceparent handed on to the handler under the call's span.</summary>
public sealed class TraceTests : IAsyncLifetime
{
    private const string CallerTrace = "0af7651916cd43dd8448eb211c80319c";
    private const string CallerSpan = "b7ad6b7169203331";

    private readonly OtlpReceiver _receiver = new();
    private readonly ServerFixture _server;

    public TraceTests() =>
        _server = new ServerFixture(configure: o => o with { Tracing = new TracingOptions { Endpoint = _receiver.Endpoint, HttpProtobuf = true, ExportDelay = TimeSpan.FromMilliseconds(200) } });

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        await _server.DeployHandlerAsync("probe", "WhoAmI");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _receiver.Dispose();
    }

    [Fact]
    public async Task DotnetCall_HandlerGetsATraceparentUnderTheInvokeSpan_OfTheCallersTrace()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/fn/probe") { Content = new StringContent("") };
        request.Headers.Add("traceparent", $"00-{CallerTrace}-{CallerSpan}-01");
        using HttpResponseMessage answer = await _server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        JsonNode whoami = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        string[] parts = ((string)whoami["headers"]!["traceparent"]!).Split('-');

        await Eventually.TrueAsync(() => _receiver.Spans.Count(s => s.TraceId == CallerTrace) >= 2, "the call's spans exported", TimeSpan.FromSeconds(20));
        var trace = _receiver.Spans.Where(s => s.TraceId == CallerTrace).ToList();
        ReceivedSpan server = Assert.Single(trace, s => s.Name.StartsWith("POST", StringComparison.Ordinal));
        ReceivedSpan invoke = Assert.Single(trace, s => s.Name == "invoke probe");
        Assert.Equal(CallerSpan, server.ParentSpanId);
        Assert.Equal(server.SpanId, invoke.ParentSpanId);
        Assert.Equal(whoami["requestId"]!.GetValue<string>(), invoke.Attributes["faas.invocation_id"]);
        Assert.Equal(["00", CallerTrace, invoke.SpanId, "01"], parts);
    }

    [Fact]
    public async Task Scrape_IsNotTraced()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Add("traceparent", "00-11111111111111111111111111111111-2222222222222222-01");
        using HttpResponseMessage scrape = await _server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        // A traced call after it: once its spans are in, anything the scrape made would be too.
        using var call = new HttpRequestMessage(HttpMethod.Post, "/fn/probe") { Content = new StringContent("") };
        call.Headers.Add("traceparent", "00-33333333333333333333333333333333-4444444444444444-01");
        using HttpResponseMessage answer = await _server.Client.SendAsync(call);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        await Eventually.TrueAsync(() => _receiver.Spans.Any(s => s.TraceId == "33333333333333333333333333333333" && s.Name.StartsWith("POST", StringComparison.Ordinal)), "the call's spans exported", TimeSpan.FromSeconds(20));
        Assert.DoesNotContain(_receiver.Spans, s => s.TraceId == "11111111111111111111111111111111");
    }
}
