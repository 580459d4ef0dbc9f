using Serval.Core.Scheduling;
using Microsoft.Extensions.Hosting;
using Serval.Server.Dispatch;

namespace Serval.Server.Billing;

/// <summary>
/// The loop beside the ledger: every second it charges each version's provisioned instances that have
/// nothing in flight for the second that passed (3 idle provisioned instances over 1 s → 3 idle
/// instance-seconds), and every <see cref="FlushEvery"/> it writes the ledger. Sampled, so an instance
/// busy at the moment of a sample counts busy for that second. <see cref="TickAsync"/> is one step.
/// </summary>
public sealed partial class CostMeter(CostLedger ledger, Dispatcher dispatcher, TimeProvider time, ILogger<CostMeter> logger) : BackgroundService
{
    /// <summary>Time between samples.</summary>
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    /// <summary>Time between writes of the ledger (reads write it first, so they never miss a charge).</summary>
    public static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(10);

    private long _last = time.GetTimestamp();
    private long _lastFlush = time.GetTimestamp();

    /// <summary>One step: charges the idle provisioned time since the last one, and writes the ledger when due.</summary>
    public Task TickAsync()
    {
        long now = time.GetTimestamp();
        double seconds = time.GetElapsedTime(_last, now).TotalSeconds;
        _last = now;
        foreach (VersionPool pool in dispatcher.Pools)
        {
            int idle = pool.ProvisionedIdle();
            if (idle > 0)
            {
                ledger.Idle(pool.Version, idle * seconds);
            }
        }

        if (time.GetElapsedTime(_lastFlush, now) >= FlushEvery)
        {
            ledger.Flush();
            _lastFlush = now;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Periodic.RunAsync(Every, time, _ => TickAsync(), LogTickFailed, stoppingToken).ConfigureAwait(false);

        ledger.Flush();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "a cost metering step failed")]
    private partial void LogTickFailed(Exception e);
}
