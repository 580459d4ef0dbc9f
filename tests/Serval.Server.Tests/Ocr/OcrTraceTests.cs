using System.Net;
using System.Text;
using System.Text.Json;
using Serval.Server.Monitoring;
using Serval.Server.Tests.Support;
using Serval.TestSupport;

namespace Serval.Server.Tests.Ocr;

/// <summary>
/// One OCR call traced end to end: exported over OTLP to a receiver the test runs, one trace id from
/// the caller's <c>traceparent</c> through the gateway, the plan, each step and each map item.
/// </summary>
public sealed class OcrTraceTests : IAsyncLifetime
{
    private const string CallerTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string CallerSpan = "00f067aa0ba902b7";

    private readonly OtlpReceiver _receiver = new();
    private readonly OcrServiceFixture _ocr;

    public OcrTraceTests() =>
        _ocr = new OcrServiceFixture(o => o with { Tracing = new TracingOptions { Endpoint = _receiver.Endpoint, HttpProtobuf = true, ServiceName = "serval-traced", ExportDelay = TimeSpan.FromMilliseconds(200) } });

    public Task InitializeAsync() => _ocr.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _ocr.DisposeAsync();
        _receiver.Dispose();
    }

    [Fact]
    public async Task OcrCall_OneTraceFromTheCallersTraceparent_ThroughGatewayPlanStepsAndEveryItem()
    {
        byte[] picture = await File.ReadAllBytesAsync(Path.Combine(Paths.Root, "tests/ocr-eval/001.png"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/fn/ocr/predict")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { jsonData = Convert.ToBase64String(picture) }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("traceparent", $"00-{CallerTrace}-{CallerSpan}-01");
        using HttpResponseMessage answer = await _ocr.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        // "detect=41.2, recognize[12]=63.0, order=0.8": the map step's fan-out.
        string steps = answer.Headers.GetValues("X-Serval-Steps").Single();
        int lines = int.Parse(steps.Split("recognize[")[1].Split(']')[0]);
        Assert.True(lines > 0, steps);

        List<ReceivedSpan> Trace() => _receiver.Spans.Where(s => s.TraceId == CallerTrace).ToList();
        // Every item's invoke span, the steps, the plan and the request span: all exported.
        await Eventually.TrueAsync(() => Trace().Count(s => s.Name == "invoke ocr-recognize") == lines && Trace().Any(s => s.Name.StartsWith("POST", StringComparison.Ordinal)),
            $"the spans of trace {CallerTrace} ({lines} lines) exported", TimeSpan.FromSeconds(20));

        List<ReceivedSpan> trace = Trace();
        ReceivedSpan server = Assert.Single(trace, s => s.Name.StartsWith("POST", StringComparison.Ordinal));
        Assert.Equal(CallerSpan, server.ParentSpanId);
        Assert.Equal("http", server.Attributes["faas.trigger"]);
        Assert.All(trace, s => Assert.Equal("serval-traced", s.Service));

        ReceivedSpan plan = Assert.Single(trace, s => s.Name == "plan ocr");
        Assert.Equal(server.SpanId, plan.ParentSpanId);
        ReceivedSpan Step(string name)
        {
            ReceivedSpan step = Assert.Single(trace, s => s.Name == $"step {name}");
            Assert.Equal(plan.SpanId, step.ParentSpanId);
            return step;
        }

        ReceivedSpan detect = Step("detect"), recognize = Step("recognize"), order = Step("order");
        Assert.Equal(detect.SpanId, Assert.Single(trace, s => s.Name == "invoke ocr-detect").ParentSpanId);
        Assert.Equal(order.SpanId, Assert.Single(trace, s => s.Name == "invoke ocr-order").ParentSpanId);

        var items = trace.Where(s => s.Name.StartsWith("item ", StringComparison.Ordinal)).ToList();
        Assert.Equal(Enumerable.Range(0, lines).Select(i => $"item {i}"), items.Select(s => s.Name).OrderBy(n => int.Parse(n[5..])));
        Assert.All(items, item => Assert.Equal(recognize.SpanId, item.ParentSpanId));
        var invokes = trace.Where(s => s.Name == "invoke ocr-recognize").ToList();
        Assert.Equal(items.Select(i => i.SpanId).Order(), invokes.Select(i => i.ParentSpanId).Order());
        Assert.All(invokes, i => Assert.Equal("ocr-recognize", i.Attributes["faas.invoked_name"]));
        Assert.All(invokes, i => Assert.Contains(i.Attributes["faas.coldstart"], new[] { "true", "false" }));
        Assert.All(invokes, i => Assert.StartsWith(plan.Attributes["faas.invocation_id"] + ".recognize.", i.Attributes["faas.invocation_id"]));
        // The first call started every step's instance: that wait is a cold-start span under its invoke.
        ReceivedSpan detectInvoke = trace.Single(s => s.Name == "invoke ocr-detect");
        Assert.Equal("true", detectInvoke.Attributes["faas.coldstart"]);
        Assert.Contains(trace, s => s.Name == "cold start" && s.ParentSpanId == detectInvoke.SpanId);
    }
}
