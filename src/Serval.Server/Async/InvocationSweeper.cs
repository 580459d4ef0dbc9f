using Microsoft.Extensions.Hosting;

namespace Serval.Server.Async;

/// <summary>Deletes finished invocations (with their runs, results and deliveries) once they are older than <see cref="AsyncOptions.Retention"/>.</summary>
public sealed partial class InvocationSweeper(IInvocationStore store, AsyncOptions options, TimeProvider time, ILogger<InvocationSweeper> log) : BackgroundService
{
    /// <summary>Rows deleted per transaction: keeps each one short beside the accept path's writes.</summary>
    private const int Batch = 1000;

    /// <summary>One sweep: deletes everything that ended more than the retention ago. Returns how many.</summary>
    public async Task<int> TickAsync()
    {
        DateTimeOffset before = time.GetUtcNow() - options.Retention;
        int total = 0;
        for (int i = 0; i < 1000; i++)
        {
            int deleted = await store.SweepAsync(before, Batch).ConfigureAwait(false);
            total += deleted;
            if (deleted < Batch)
            {
                break;
            }
        }

        if (total > 0)
        {
            LogSwept(total, options.Retention.TotalHours);
        }

        return total;
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.SweepInterval, time);
        do
        {
            try
            {
                await TickAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                LogSweepFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "swept {Count} invocations that ended more than {Hours} h ago")]
    private partial void LogSwept(int count, double hours);

    [LoggerMessage(Level = LogLevel.Error, Message = "sweeping old invocations failed")]
    private partial void LogSweepFailed(Exception e);
}
