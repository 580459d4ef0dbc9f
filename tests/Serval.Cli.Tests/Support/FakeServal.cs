using System.Collections.Concurrent;
using System.Collections.Specialized;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Serval.Cli.Tests.Support;

/// <summary>A request the fake server received.</summary>
internal sealed record ReceivedRequest(string Method, string Path, NameValueCollection Headers, string? ContentType, byte[] Body)
{
    /// <summary>The query string, with its '?' (empty when none).</summary>
    public string Query { get; init; } = "";

    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>What the fake server answers to one method and path.</summary>
internal sealed record Answer(int Status, byte[] Body, string ContentType = "application/json", IReadOnlyDictionary<string, string>? Headers = null)
{
    public static Answer Json(int status, string json, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, Encoding.UTF8.GetBytes(json), "application/json", headers);
}

/// <summary>
/// A scripted HTTP server on 127.0.0.1 standing in for the platform: it records every request and
/// answers from a table of (method, path); anything else gets 404 {"error"}. It checks the CLI's
/// side of the HTTP contract, not the platform.
/// </summary>
internal sealed class FakeServal : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<(string, string), Func<ReceivedRequest, Answer>> _answers = new();
    private readonly Task _loop;

    public FakeServal()
    {
        for (int attempt = 0; ; attempt++)
        {
            int port = FreePort();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                _listener.Start();
                Url = $"http://127.0.0.1:{port}";
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }

        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; } = "";

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    public FakeServal On(string method, string path, Answer answer) => On(method, path, _ => answer);

    /// <summary>Answers (method, path) with what <paramref name="respond"/> makes of each request.</summary>
    public FakeServal On(string method, string path, Func<ReceivedRequest, Answer> respond)
    {
        _answers[(method, path)] = respond;
        return this;
    }

    /// <summary>A port nothing listens on (taken, then released), for "connection refused".</summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

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
            var request = new ReceivedRequest(
                context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.Headers, context.Request.ContentType, body.ToArray())
            {
                Query = context.Request.Url.Query,
            };
            Requests.Enqueue(request);

            var answer = _answers.TryGetValue((request.Method, request.Path), out var respond)
                ? respond(request)
                : Answer.Json(404, $$"""{"error":"no route {{request.Method}} {{request.Path}}"}""");
            var response = context.Response;
            response.StatusCode = answer.Status;
            response.ContentType = answer.ContentType;
            foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
            {
                response.Headers[name] = value;
            }

            response.ContentLength64 = answer.Body.Length;
            await response.OutputStream.WriteAsync(answer.Body);
            response.Close();
        }
    }
}
