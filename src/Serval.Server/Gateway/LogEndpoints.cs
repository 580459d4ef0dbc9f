using System.Globalization;
using System.Text.Json;
using Serval.Server.Functions;
using Serval.Server.Monitoring.Logs;

namespace Serval.Server.Gateway;

/// <summary>
/// <c>GET /v1/functions/{name}/logs?since=&amp;follow=&amp;limit=</c>: the function's log as NDJSON, one
/// record a line, oldest first. <c>since</c> is a time (RFC 3339) or an age (<c>30s</c>, <c>10m</c>,
/// <c>2h</c>, <c>1d</c>); <c>follow=true</c> keeps the answer open and sends new records as they are written.
/// </summary>
public static class LogEndpoints
{
    private const int Page = 1000;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly byte[] Newline = "\n"u8.ToArray();

    /// <summary>Maps it.</summary>
    public static void MapLogs(this IEndpointRouteBuilder app) =>
        app.MapGet("/v1/functions/{name}/logs", async (HttpContext context, string name, FunctionCatalog catalog, FunctionLogs logs, TimeProvider time, IHostApplicationLifetime lifetime) =>
        {
            if (catalog.Resolve(name, null) is null)
            {
                await Errors.WriteAsync(context, 404, $"function '{name}' is not deployed").ConfigureAwait(false);
                return;
            }

            var query = context.Request.Query;
            var (since, sinceError) = Since(query["since"].ToString(), time.GetUtcNow());
            bool follow = query["follow"].ToString() is "true" or "1";
            int limit = Page;
            if (sinceError is null && query["limit"].ToString() is { Length: > 0 } l && (!int.TryParse(l, out limit) || limit is < 1 or > 100_000))
            {
                sinceError = $"limit must be 1..100000, got '{l}'";
            }

            if (sinceError is not null || (query["follow"].ToString() is { Length: > 0 } f && f is not ("true" or "false" or "1" or "0")))
            {
                await Errors.WriteAsync(context, 400, sinceError ?? $"follow must be true or false, got '{query["follow"]}'").ConfigureAwait(false);
                return;
            }

            context.Response.ContentType = "application/x-ndjson";
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            long after = 0;
            int sent = 0;
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    IReadOnlyList<LogRecord> page = logs.Read(name, after, since, follow ? Page : Math.Min(Page, limit - sent));
                    foreach (LogRecord record in page)
                    {
                        byte[] json = JsonSerializer.SerializeToUtf8Bytes(record, Json);
                        await context.Response.Body.WriteAsync(json, stop.Token).ConfigureAwait(false);
                        await context.Response.Body.WriteAsync(Newline, stop.Token).ConfigureAwait(false);
                        after = record.Seq;
                    }

                    sent += page.Count;
                    if (!follow && (page.Count == 0 || sent >= limit))
                    {
                        return;
                    }

                    await context.Response.Body.FlushAsync(stop.Token).ConfigureAwait(false);
                    if (page.Count == 0)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(250), time, stop.Token).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The reader went away or the platform is stopping: the answer ends here.
            }
        });

    /// <summary><c>since</c>: empty (the whole log), an RFC 3339 time, or an age such as <c>10m</c>.</summary>
    public static (DateTimeOffset? Since, string? Error) Since(string text, DateTimeOffset now)
    {
        if (text.Length == 0)
        {
            return (null, null);
        }

        if (text.Length >= 2 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out double n) && n >= 0)
        {
            TimeSpan? age = text[^1] switch { 's' => TimeSpan.FromSeconds(n), 'm' => TimeSpan.FromMinutes(n), 'h' => TimeSpan.FromHours(n), 'd' => TimeSpan.FromDays(n), _ => null };
            if (age is { } a)
            {
                return (now - a, null);
            }
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at)
            ? (at, null)
            : (null, $"since must be a time (2026-12-04T10:00:00Z) or an age (30s, 10m, 2h, 1d), got '{text}'");
    }
}
