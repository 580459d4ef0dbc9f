namespace Serval.Server.Async;

/// <summary>
/// Wakes a loop that otherwise sleeps until its next due time. The loop arms it before a step and
/// waits on what it armed after the step, so a wake-up during the step is never lost.
/// </summary>
internal sealed class Wakeup
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wakes the loop (at once if it waits, else right after its step).</summary>
    public void Set() => Volatile.Read(ref _next).TrySetResult();

    /// <summary>A fresh wake-up to wait on after the step that follows.</summary>
    public Task Arm()
    {
        var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _next, next);
        return next.Task;
    }

    /// <summary>Waits until <paramref name="armed"/> is set or <paramref name="timeout"/> passes on <paramref name="time"/>.</summary>
    public static async Task WaitAsync(Task armed, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (armed.IsCompleted || timeout <= TimeSpan.Zero)
        {
            return;
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task delay = Task.Delay(timeout, time, cancel.Token);
        await Task.WhenAny(armed, delay).ConfigureAwait(false);
        cancel.Cancel();
        cancellationToken.ThrowIfCancellationRequested();
    }
}
