namespace Serval.Server.Monitoring;

/// <summary>
/// Where traces go: OpenTelemetry's OTLP exporter, configured by the standard variables
/// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>, <c>OTEL_SERVICE_NAME</c>).
/// Without an endpoint nothing is traced and the request path pays nothing for it.
/// </summary>
public sealed record TracingOptions
{
    /// <summary>The OTLP endpoint (<c>http://collector:4317</c> for gRPC; for <c>http/protobuf</c> the base, <c>/v1/traces</c> is added). Null: tracing off.</summary>
    public Uri? Endpoint { get; init; } = Uri.TryCreate(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"), UriKind.Absolute, out Uri? endpoint) ? endpoint : null;

    /// <summary>True for <c>http/protobuf</c>, false for gRPC (the OTLP default).</summary>
    public bool HttpProtobuf { get; init; } = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_PROTOCOL") is "http/protobuf";

    /// <summary>The <c>service.name</c> of every span: <c>OTEL_SERVICE_NAME</c>, else <c>serval</c>.</summary>
    public string ServiceName { get; init; } = Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") is { Length: > 0 } name ? name : "serval";

    /// <summary>How long finished spans wait to be exported together (OpenTelemetry's default, 5 s).</summary>
    public TimeSpan ExportDelay { get; init; } = TimeSpan.FromSeconds(5);
}
