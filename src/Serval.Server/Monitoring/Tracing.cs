using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Serval.Server.Monitoring;

/// <summary>
/// The platform's spans: one trace per call, from the gateway's request span (ASP.NET Core's, which
/// continues a caller's W3C <c>traceparent</c>) through an <c>invoke</c> span per dispatched call, its
/// <c>queue</c> wait and <c>cold start</c>, and for a plan a span per step and per map item. Attributes
/// follow OpenTelemetry's FaaS conventions (<c>faas.invoked_name</c>, <c>faas.invocation_id</c>,
/// <c>faas.coldstart</c>, <c>faas.trigger</c>).
/// </summary>
public static class Tracing
{
    /// <summary>The name of the platform's <see cref="ActivitySource"/>.</summary>
    public const string SourceName = "Serval";

    /// <summary>Where the platform's spans start. With no listener (tracing off) it starts none.</summary>
    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Registers OpenTelemetry's tracer with the OTLP exporter when <paramref name="options"/> names an endpoint.</summary>
    public static void AddTracing(this IServiceCollection services, TracingOptions options)
    {
        if (options.Endpoint is not { } endpoint)
        {
            return;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName))
            .WithTracing(tracing => tracing
                .AddSource(SourceName)
                .AddAspNetCoreInstrumentation(aspnet =>
                {
                    // Scrapes and probes are not calls.
                    aspnet.Filter = context => !context.Request.Path.StartsWithSegments("/metrics") && !context.Request.Path.StartsWithSegments("/v2/health");
                    aspnet.EnrichWithHttpRequest = (activity, request) => activity.SetTag("faas.trigger", "http");
                })
                .AddOtlpExporter(otlp =>
                {
                    otlp.Protocol = options.HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                    // Set in code, the endpoint is used as given: for http/protobuf it needs the signal's path.
                    otlp.Endpoint = options.HttpProtobuf && endpoint.AbsolutePath is "/" or "" ? new Uri(endpoint, "v1/traces") : endpoint;
                    otlp.BatchExportProcessorOptions.ScheduledDelayMilliseconds = (int)options.ExportDelay.TotalMilliseconds;
                }));
    }

    /// <summary>Starts the span of one dispatched call of <paramref name="function"/> (null when nobody listens).</summary>
    public static Activity? StartInvoke(string function, int version, string? invocationId)
    {
        Activity? span = Source.StartActivity($"invoke {function}", ActivityKind.Internal);
        if (span is not null)
        {
            span.SetTag("faas.invoked_name", function);
            span.SetTag("serval.version", version);
            if (invocationId is { Length: > 0 })
            {
                span.SetTag("faas.invocation_id", invocationId);
            }
        }

        return span;
    }

    /// <summary>Records a finished wait as its own span, from <paramref name="started"/> until now.</summary>
    public static void Span(string name, DateTimeOffset started)
    {
        using Activity? span = Source.StartActivity(name, ActivityKind.Internal, parentContext: default, startTime: started);
    }
}
