using System.Collections.Concurrent;
using System.Net;

namespace Serval.Server.Tests.Support;

/// <summary>One span as OTLP carried it.</summary>
public sealed record ReceivedSpan(string TraceId, string SpanId, string ParentSpanId, string Name, string Service, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// An OTLP/HTTP trace receiver on 127.0.0.1 (<c>POST /v1/traces</c>, protobuf): what a collector
/// would get. It decodes the fields of <c>ExportTraceServiceRequest</c> that the tests check, with a
/// protobuf reader of its own (the schema's field numbers are in the comments).
/// </summary>
public sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private readonly Task _loop;

    /// <summary>Starts listening.</summary>
    public OtlpReceiver()
    {
        for (int attempt = 0; ; attempt++)
        {
            int port = Ports.FreeLoopback();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                _listener.Start();
                Endpoint = new Uri($"http://127.0.0.1:{port}/");
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }

        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The base address to export to.</summary>
    public Uri Endpoint { get; } = null!;

    /// <summary>Every span received so far.</summary>
    public IReadOnlyList<ReceivedSpan> Spans => _spans.ToArray();

    /// <summary>Stops listening.</summary>
    public void Dispose()
    {
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            int status = 200;
            if (context.Request.Url?.AbsolutePath == "/v1/traces")
            {
                foreach (ReceivedSpan span in Decode(body.ToArray()))
                {
                    _spans.Enqueue(span);
                }
            }
            else
            {
                status = 404;
            }

            context.Response.StatusCode = status;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    private static IEnumerable<ReceivedSpan> Decode(byte[] request)
    {
        // ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
        foreach (var (field, resourceSpans) in Proto.Fields(request))
        {
            if (field != 1)
            {
                continue;
            }

            // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
            string service = "";
            var scopes = new List<byte[]>();
            foreach (var (f, value) in Proto.Fields(resourceSpans))
            {
                if (f == 1)
                {
                    // Resource { repeated KeyValue attributes = 1; }
                    service = Proto.Attributes(value, 1).GetValueOrDefault("service.name", "");
                }
                else if (f == 2)
                {
                    scopes.Add(value);
                }
            }

            foreach (byte[] scope in scopes)
            {
                // ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
                foreach (var (f, span) in Proto.Fields(scope))
                {
                    if (f == 2)
                    {
                        yield return Span(span, service);
                    }
                }
            }
        }
    }

    private static ReceivedSpan Span(byte[] span, string service)
    {
        // Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5; repeated KeyValue attributes = 9; }
        string traceId = "", spanId = "", parent = "", name = "";
        foreach (var (f, value) in Proto.Fields(span))
        {
            switch (f)
            {
                case 1: traceId = Convert.ToHexStringLower(value); break;
                case 2: spanId = Convert.ToHexStringLower(value); break;
                case 4: parent = Convert.ToHexStringLower(value); break;
                case 5: name = System.Text.Encoding.UTF8.GetString(value); break;
            }
        }

        return new ReceivedSpan(traceId, spanId, parent, name, service, Proto.Attributes(span, 9));
    }

    /// <summary>Just enough protobuf: fields of a message as (number, bytes); varints and fixed values as their little-endian bytes.</summary>
    private static class Proto
    {
        public static IEnumerable<(int Field, byte[] Value)> Fields(byte[] message)
        {
            int at = 0;
            while (at < message.Length)
            {
                ulong key = Varint(message, ref at);
                int field = (int)(key >> 3);
                switch ((int)(key & 7))
                {
                    case 0:
                        ulong v = Varint(message, ref at);
                        yield return (field, BitConverter.GetBytes(v));
                        break;
                    case 1:
                        yield return (field, message[at..(at + 8)]);
                        at += 8;
                        break;
                    case 2:
                        int length = (int)Varint(message, ref at);
                        yield return (field, message[at..(at + length)]);
                        at += length;
                        break;
                    case 5:
                        yield return (field, message[at..(at + 4)]);
                        at += 4;
                        break;
                    default:
                        throw new InvalidDataException($"protobuf wire type {key & 7} at byte {at}");
                }
            }
        }

        /// <summary>The <c>KeyValue</c>s in field <paramref name="field"/> of a message, values as text.</summary>
        public static Dictionary<string, string> Attributes(byte[] message, int field)
        {
            var attributes = new Dictionary<string, string>();
            foreach (var (f, keyValue) in Fields(message))
            {
                if (f != field)
                {
                    continue;
                }

                // KeyValue { string key = 1; AnyValue value = 2; }
                // AnyValue { string string_value = 1; bool bool_value = 2; int64 int_value = 3; double double_value = 4; }
                string key = "", text = "";
                foreach (var (k, v) in Fields(keyValue))
                {
                    if (k == 1)
                    {
                        key = System.Text.Encoding.UTF8.GetString(v);
                    }
                    else if (k == 2)
                    {
                        foreach (var (kind, any) in Fields(v))
                        {
                            text = kind switch
                            {
                                1 => System.Text.Encoding.UTF8.GetString(any),
                                2 => BitConverter.ToUInt64(any) != 0 ? "true" : "false",
                                3 => BitConverter.ToInt64(any).ToString(System.Globalization.CultureInfo.InvariantCulture),
                                4 => BitConverter.ToDouble(any).ToString(System.Globalization.CultureInfo.InvariantCulture),
                                _ => text,
                            };
                        }
                    }
                }

                attributes[key] = text;
            }

            return attributes;
        }

        private static ulong Varint(byte[] message, ref int at)
        {
            ulong value = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = message[at++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }
        }
    }
}
