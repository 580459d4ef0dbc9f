using System.Net.Http.Headers;
using Microsoft.Extensions.Hosting;
using Serval.Core.Async;

namespace Serval.Server.Async;

/// <summary>
/// POSTs destination records to webhooks: claims due deliveries under a lease, one POST each; a 2xx
/// answer delivers it, anything else is tried again with the retries' back-off until
/// <see cref="AsyncOptions.WebhookAttempts"/>, then the delivery ends Failed with the last error.
/// </summary>
public sealed partial class WebhookDeliverer : BackgroundService
{
    /// <summary>Deliveries attempted at once.</summary>
    private const int Batch = 16;

    private readonly IInvocationStore _store;
    private readonly AsyncOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookDeliverer> _log;
    private readonly HttpClient _http;
    private readonly Wakeup _wakeup = new();
    private readonly string _owner;

    /// <summary>Creates the deliverer; it wakes when the dispatcher queues a delivery.</summary>
    public WebhookDeliverer(IInvocationStore store, AsyncDispatcher dispatcher, AsyncOptions options, TimeProvider time, ILogger<WebhookDeliverer> log)
    {
        _store = store;
        _options = options;
        _time = time;
        _log = log;
        _owner = dispatcher.Owner;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }) { Timeout = options.WebhookTimeout };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("serval", "1.0"));
        dispatcher.WebhookQueued += _wakeup.Set;
    }

    /// <summary>One step: claim due deliveries and attempt each once. Returns how many were attempted.</summary>
    public async Task<int> TickAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        var claimed = await _store.ClaimDeliveriesAsync(_owner, now, now + _options.WebhookTimeout + _options.Lease, Batch).ConfigureAwait(false);
        await Task.WhenAll(claimed.Select(d => DeliverAsync(d, cancellationToken))).ConfigureAwait(false);
        return claimed.Count;
    }

    private async Task DeliverAsync(ClaimedDelivery delivery, CancellationToken cancellationToken)
    {
        string? error;
        try
        {
            using var content = new ByteArrayContent(delivery.Record);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = content };
            request.Headers.Add("X-Serval-Invocation-Id", delivery.Invocation);
            using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            error = response.IsSuccessStatusCode ? null : $"the webhook answered {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (HttpRequestException e)
        {
            error = $"the webhook could not be reached: {e.Message}";
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            error = $"the webhook did not answer within {_options.WebhookTimeout.TotalSeconds:0.#} s";
        }

        DateTimeOffset now = _time.GetUtcNow();
        if (error is null)
        {
            await _store.CompleteDeliveryAsync(delivery.Invocation, _owner, DeliveryStatus.Delivered, null, null).ConfigureAwait(false);
        }
        else if (delivery.Attempt >= _options.WebhookAttempts)
        {
            LogGaveUp(delivery.Invocation, delivery.Url, delivery.Attempt, error);
            await _store.CompleteDeliveryAsync(delivery.Invocation, _owner, DeliveryStatus.Failed, null, $"{error} (attempt {delivery.Attempt} of {_options.WebhookAttempts}: given up)").ConfigureAwait(false);
        }
        else
        {
            TimeSpan wait = _options.Retry.Backoff.FullJitter(delivery.Attempt, Random.Shared.NextDouble());
            await _store.CompleteDeliveryAsync(delivery.Invocation, _owner, DeliveryStatus.Pending, now + wait, error).ConfigureAwait(false);
            _ = WakeAfterAsync(wait, cancellationToken);
        }
    }

    private async Task WakeAfterAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            _wakeup.Set();
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            Task armed = _wakeup.Arm();
            try
            {
                if (await TickAsync(stoppingToken).ConfigureAwait(false) == Batch)
                {
                    continue; // more may be due
                }
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                LogTickFailed(e);
            }

            try
            {
                await Wakeup.WaitAsync(armed, _options.PollInterval, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "invocation {Invocation}: gave up delivering to {Url} after {Attempts} attempts: {Error}")]
    private partial void LogGaveUp(string invocation, string url, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "a webhook delivery step failed")]
    private partial void LogTickFailed(Exception e);
}
