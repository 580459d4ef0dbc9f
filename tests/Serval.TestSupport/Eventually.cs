namespace Serval.TestSupport;

/// <summary>Waits for what background continuations do (on the thread pool, after a fake clock fired them).</summary>
public static class Eventually
{
    /// <summary>
    /// Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> (default 5 s)
    /// passes; throws naming <paramref name="what"/> when it never held. A bounded wait for a state,
    /// not a sleep: it returns as soon as the state is reached.
    /// </summary>
    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        if (!condition())
        {
            throw new TimeoutException($"not reached within {(timeout ?? TimeSpan.FromSeconds(5)).TotalSeconds:0.#} s: {what}");
        }
    }

    /// <summary>
    /// Polls an asynchronous <paramref name="condition"/> (an HTTP call, say) every
    /// <paramref name="interval"/> (default 20 ms) until it holds or <paramref name="timeout"/>
    /// (default 5 s) passes; throws naming <paramref name="what"/>.
    /// </summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, TimeSpan? interval = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (!await condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"not reached within {(timeout ?? TimeSpan.FromSeconds(5)).TotalSeconds:0.#} s: {what}");
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(20));
        }
    }
}
