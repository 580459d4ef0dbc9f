namespace Serval.TestSupport;

/// <summary>
/// The system clock moved by an offset the test sets: wall-clock time jumps (to reach a scheduled
/// minute at once) while timers and timestamps keep running in real time, so real processes and
/// their timeouts behave as usual.
/// </summary>
public sealed class ShiftedTimeProvider : TimeProvider
{
    private long _offsetTicks;

    /// <summary>How far ahead of the system clock this one is.</summary>
    public TimeSpan Offset
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
        set => Interlocked.Exchange(ref _offsetTicks, value.Ticks);
    }

    /// <summary>Makes <see cref="GetUtcNow"/> read <paramref name="now"/> at this moment.</summary>
    public void SetNow(DateTimeOffset now) => Offset = now - System.GetUtcNow();

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}
