using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Serval.Server.Tests.Support;

/// <summary>An HTTP receiver on 127.0.0.1 standing in for a webhook: records each POST and answers from a script of status codes (then 200).</summary>
public sealed class WebhookListener : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<int> _script;
    private readonly Task _loop;

    /// <summary>Starts listening; the first answers are <paramref name="statuses"/>, then 200.</summary>
    public WebhookListener(params int[] statuses)
    {
        _script = new ConcurrentQueue<int>(statuses);
        for (int attempt = 0; ; attempt++)
        {
            int port = Ports.FreeLoopback();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                _listener.Start();
                Url = $"http://127.0.0.1:{port}/hook";
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }

        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The webhook's URL.</summary>
    public string Url { get; } = "";

    /// <summary>What was POSTed: the invocation header, the body, the status answered.</summary>
    public ConcurrentQueue<(string? Invocation, string Body, int Answered)> Received { get; } = new();

    /// <summary>Polls until <paramref name="count"/> POSTs arrived, at most <paramref name="limit"/>.</summary>
    public async Task WaitForAsync(int count, TimeSpan limit)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (Received.Count < count)
        {
            Assert.True(clock.Elapsed < limit, $"{Received.Count} of {count} webhook POSTs arrived within {limit.TotalSeconds} s");
            await Task.Delay(25);
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
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            string body = await reader.ReadToEndAsync();
            int status = _script.TryDequeue(out int scripted) ? scripted : 200;
            Received.Enqueue((context.Request.Headers["X-Serval-Invocation-Id"], body, status));
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
