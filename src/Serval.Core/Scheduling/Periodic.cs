namespace Serval.Core.Scheduling;

/// <summary>
/// The one ticking loop of the platform's periodic components: <c>tick</c> every
/// <c>every</c> on the injected clock until cancelled; a tick that throws is reported to
/// <c>failed</c> and the next one runs, so one bad tick (a store busy, NATS unreachable) never stops
/// the loop. Cancellation ends it quietly. The component keeps its own single-step method for tests.
/// </summary>
public static class Periodic
{
    /// <summary>Runs the loop; with <paramref name="tickFirst"/>, the first tick at once instead of after one interval.</summary>
    public static async Task RunAsync(TimeSpan every, TimeProvider time, Func<CancellationToken, Task> tick, Action<Exception> failed, CancellationToken cancellationToken, bool tickFirst = false)
    {
        using var timer = new PeriodicTimer(every, time);
        try
        {
            if (tickFirst)
            {
                await TickAsync(tick, failed, cancellationToken).ConfigureAwait(false);
            }

            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await TickAsync(tick, failed, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static async Task TickAsync(Func<CancellationToken, Task> tick, Action<Exception> failed, CancellationToken cancellationToken)
    {
        try
        {
            await tick(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            failed(e);
        }
    }
}
