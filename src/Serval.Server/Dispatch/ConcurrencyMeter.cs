namespace Serval.Server.Dispatch;

/// <summary>
/// The time-weighted mean of a level (in flight + queued) between two reads: every change adds
/// level × time-at-that-level, so a burst of 40 for 100 ms inside a 1 s tick reads as 4, not as
/// whatever the level happened to be at the tick. Not thread-safe: the pool calls it under its lock.
/// </summary>
public sealed class ConcurrencyMeter(TimeProvider time)
{
    private long _since = time.GetTimestamp();
    private long _lastChange = time.GetTimestamp();
    private double _area;
    private int _level;

    /// <summary>The current level.</summary>
    public int Level => _level;

    /// <summary>Moves the level by <paramref name="delta"/> now.</summary>
    public void Add(int delta)
    {
        long now = time.GetTimestamp();
        _area += _level * time.GetElapsedTime(_lastChange, now).TotalSeconds;
        _lastChange = now;
        _level += delta;
    }

    /// <summary>The mean since the previous read (the level itself if no time passed), then starts over.</summary>
    public double ReadAndReset()
    {
        long now = time.GetTimestamp();
        double seconds = time.GetElapsedTime(_since, now).TotalSeconds;
        double area = _area + _level * time.GetElapsedTime(_lastChange, now).TotalSeconds;
        _since = now;
        _lastChange = now;
        _area = 0;
        return seconds > 0 ? area / seconds : _level;
    }
}
