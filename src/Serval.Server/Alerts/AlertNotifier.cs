using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Serval.Core.Alerts;
using Serval.Core.Retries;

namespace Serval.Server.Alerts;

/// <summary>
/// POSTs alert events to the configured webhooks as JSON, each webhook in the order the events
/// happened (one sender per webhook, so a resolution never overtakes its firing). A POST that fails
/// (no answer, or not 2xx) is tried again after the retries' back-off with full jitter (1 s doubling,
/// at most 30 s) up to <see cref="AlertConfig.WebhookAttempts"/>, then given up and logged. Events wait
/// in memory: a platform that stops drops those not yet delivered (alerts are re-evaluated at start).
/// </summary>
public sealed partial class AlertNotifier : BackgroundService
{
    /// <summary>The back-off between attempts.</summary>
    public static readonly Backoff Retry = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly AlertConfig _config;
    private readonly TimeProvider _time;
    private readonly ILogger<AlertNotifier> _log;
    private readonly HttpClient _http;
    private readonly Channel<AlertEvent>[] _queues;
    private long _delivered;
    private long _failed;

    /// <summary>Creates the notifier for <paramref name="config"/>'s webhooks.</summary>
    public AlertNotifier(AlertConfig config, TimeProvider time, ILogger<AlertNotifier> log)
    {
        _config = config;
        _time = time;
        _log = log;
        _http = new HttpClient { Timeout = config.WebhookTimeout };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("serval", "1.0"));
        // Bounded: a webhook down for long keeps the newest 10,000 events, not all of them.
        _queues = [.. config.Webhooks.Select(_ => Channel.CreateBounded<AlertEvent>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true }))];
    }

    /// <summary>Events delivered (a 2xx answer) so far, all webhooks together.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Events given up after every attempt failed.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Queues <paramref name="alert"/> for every webhook.</summary>
    public void Send(AlertEvent alert)
    {
        foreach (Channel<AlertEvent> queue in _queues)
        {
            queue.Writer.TryWrite(alert);
        }
    }

    /// <inheritdoc/>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_config.Webhooks.Select((url, i) => SendLoopAsync(url, _queues[i].Reader, stoppingToken)));

    private async Task SendLoopAsync(Uri url, ChannelReader<AlertEvent> queue, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (AlertEvent alert in queue.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await DeliverAsync(url, alert, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task DeliverAsync(Uri url, AlertEvent alert, CancellationToken stoppingToken)
    {
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(alert, Json);
        for (int attempt = 1; ; attempt++)
        {
            string? error = await PostAsync(url, body, alert, attempt, stoppingToken).ConfigureAwait(false);
            if (error is null)
            {
                Interlocked.Increment(ref _delivered);
                return;
            }

            if (attempt >= _config.WebhookAttempts)
            {
                Interlocked.Increment(ref _failed);
                LogGaveUp(alert.Status, alert.Rule, alert.Function, url, attempt, error);
                return;
            }

            await Task.Delay(Retry.FullJitter(attempt, Random.Shared.NextDouble()), _time, stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task<string?> PostAsync(Uri url, byte[] body, AlertEvent alert, int attempt, CancellationToken stoppingToken)
    {
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
            request.Headers.Add("X-Serval-Alert", $"{alert.Rule}/{alert.Function}");
            request.Headers.Add("X-Serval-Attempt", attempt.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using HttpResponseMessage response = await _http.SendAsync(request, stoppingToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : $"the webhook answered {(int)response.StatusCode}";
        }
        catch (HttpRequestException e)
        {
            return $"the webhook could not be reached: {e.Message}";
        }
        catch (TaskCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return $"the webhook did not answer within {_config.WebhookTimeout.TotalSeconds:0.#} s";
        }
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "alert {Status} {Rule} on {Function}: gave up delivering to {Url} after {Attempts} attempts: {Error}")]
    private partial void LogGaveUp(string status, string rule, string function, Uri url, int attempts, string error);
}
