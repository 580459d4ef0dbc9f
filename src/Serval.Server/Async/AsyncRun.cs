namespace Serval.Server.Async;

/// <summary>One run of a claimed invocation: its cancellation (by request, or the platform stopping) and its end.</summary>
internal sealed class AsyncRun(string function, CancellationTokenSource cancellation) : IDisposable
{
    /// <summary>The invocation's function.</summary>
    public string Function => function;

    private volatile bool _cancelled;

    /// <summary>Cancelled when the run should stop.</summary>
    public CancellationToken Token => cancellation.Token;

    /// <summary>Set once the run's end is written (or given up).</summary>
    public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True when the user asked for it to be cancelled.</summary>
    public bool Cancelled => _cancelled;

    /// <summary>Stops the run at the user's request.</summary>
    public void Cancel()
    {
        _cancelled = true;
        try
        {
            cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run ended meanwhile.
        }
    }

    /// <summary>Disposes the cancellation source (a later <see cref="Cancel"/> does nothing).</summary>
    public void Dispose() => cancellation.Dispose();
}
