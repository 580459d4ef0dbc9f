namespace Serval.Core.Autoscaling;

/// <summary>
/// The recent concurrency of one version (invocations in flight plus queued), averaged over time.
/// Each <see cref="Record"/> sample is a level that holds until the next one, so recording on
/// every change (an arrival, a completion) or on a steady tick both give the time-weighted mean:
/// 10 in flight for 1 s then 0 for 1 s averages 5 over 2 s, however many samples said so.
/// </summary>
/// <remarks>
/// The level × time is summed into fixed buckets (1 s by default) in a ring long enough for the
/// longest window, so a sample allocates nothing and costs a few additions. Only the oldest bucket
/// a window cuts through is estimated, as if its level were even across the bucket. Time before
/// the first sample is not averaged in. Not thread-safe: one writer at a time (the dispatcher changes
/// the count under its queue lock anyway), and reads from the same owner.
/// </remarks>
public sealed class ConcurrencyWindow
{
    private readonly long _bucketTicks;
    private readonly double[] _buckets; // level × ticks within bucket n, stored at n % length
    private long _firstTicks = -1;      // the first sample's time; -1 before any
    private long _lastTicks;            // the latest sample's time: buckets hold everything before it
    private int _level;                 // the latest sample, in force since _lastTicks

    /// <summary>A window that can average over up to <paramref name="length"/>, in 1 s buckets.</summary>
    public ConcurrencyWindow(TimeSpan length)
        : this(length, TimeSpan.FromSeconds(1))
    {
    }

    /// <summary>A window that can average over up to <paramref name="length"/>, in buckets of <paramref name="bucket"/>.</summary>
    public ConcurrencyWindow(TimeSpan length, TimeSpan bucket)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(bucket, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, bucket);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length.Ticks / bucket.Ticks, 100_000L, nameof(length));
        Length = length;
        _bucketTicks = bucket.Ticks;

        // A window of 20 s ending at 12.5 s runs from -7.5 s and touches the 21 buckets -8 … 12:
        // length / bucket, rounded up, plus one.
        _buckets = new double[(length.Ticks + bucket.Ticks - 1) / bucket.Ticks + 1];
    }

    /// <summary>The longest window <see cref="Average"/> accepts.</summary>
    public TimeSpan Length { get; }

    /// <summary>The latest sample (0 before any).</summary>
    public int Latest => _level;

    /// <summary>
    /// Records that <paramref name="inFlightPlusQueued"/> invocations are in flight or queued from
    /// <paramref name="now"/> on. A time earlier than the previous sample's counts as that time.
    /// </summary>
    public void Record(DateTimeOffset now, int inFlightPlusQueued)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inFlightPlusQueued);
        var ticks = now.UtcTicks;
        if (_firstTicks < 0)
        {
            _firstTicks = _lastTicks = ticks;
        }
        else if (ticks > _lastTicks)
        {
            Accumulate(ticks);
            _lastTicks = ticks;
        }

        _level = inFlightPlusQueued;
    }

    /// <summary>
    /// The mean concurrency over the <paramref name="window"/> that ends at <paramref name="now"/>
    /// (or at the latest sample, if that is later). Time before the first sample is left out;
    /// with no sample at all the mean is 0.
    /// </summary>
    public double Average(DateTimeOffset now, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(window, Length);
        if (_firstTicks < 0)
        {
            return 0;
        }

        var end = Math.Max(now.UtcTicks, _lastTicks);
        var start = end - window.Ticks;

        // Since the latest sample nothing is in a bucket yet: its level held all along.
        // Latest 6 at 10 s, asked at 11 s for 2 s → 6 × 1 s from here.
        var sum = (double)_level * (end - Math.Max(start, _lastTicks));

        var from = Math.Max(start, _firstTicks);
        if (from < _lastTicks)
        {
            for (var b = from / _bucketTicks; b <= _lastTicks / _bucketTicks; b++)
            {
                // The part of bucket b that holds data, and the part of that inside the window.
                // Bucket 9 s … 10 s, window from 9.25 s → three quarters of what bucket 9 holds.
                var dataStart = Math.Max(b * _bucketTicks, _firstTicks);
                var dataEnd = Math.Min((b + 1) * _bucketTicks, _lastTicks);
                if (dataEnd > dataStart)
                {
                    sum += _buckets[b % _buckets.Length] * (dataEnd - Math.Max(dataStart, from)) / (dataEnd - dataStart);
                }
            }
        }

        // Before the first sample the load is unknown, not zero: average over the part of the
        // window observed. First sample 5 s ago, 20 s window → the mean of those 5 s; a sample
        // just now → that sample. Record 0 when a version is created to count from then on.
        var observed = end - Math.Max(start, _firstTicks);
        return observed > 0 ? sum / observed : _level;
    }

    /// <summary>The averages over the stable and the panic windows of <paramref name="options"/> at <paramref name="now"/>.</summary>
    public ConcurrencyObservation Observe(DateTimeOffset now, AutoscalerOptions options) =>
        new(Average(now, options.StableWindow), Average(now, options.PanicWindow));

    // Adds the current level from _lastTicks to `to` into the buckets it spans, emptying each
    // bucket the first time it is reached (its slot still holds the bucket one ring earlier).
    // 4 in flight from 9.5 s to 11.25 s: bucket 9 += 4 × 0.5 s, bucket 10 = 4 × 1 s, bucket 11 = 4 × 0.25 s.
    private void Accumulate(long to)
    {
        var from = _lastTicks;
        var fromBucket = from / _bucketTicks;
        var toBucket = to / _bucketTicks;

        // After a gap longer than the ring only the newest ring's worth of buckets matters.
        for (var b = Math.Max(fromBucket, toBucket - _buckets.Length + 1); b <= toBucket; b++)
        {
            var slot = (int)(b % _buckets.Length);
            if (b > fromBucket)
            {
                _buckets[slot] = 0;
            }

            var spanStart = Math.Max(from, b * _bucketTicks);
            var spanEnd = Math.Min(to, (b + 1) * _bucketTicks);
            _buckets[slot] += (double)_level * (spanEnd - spanStart);
        }
    }
}
