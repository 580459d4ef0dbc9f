using System.Collections.Concurrent;

namespace Serval.Server.Monitoring;

/// <summary>What <c>GET /fn/{name}/monitor</c> answers.</summary>
/// <param name="AvgQpm">Requests per minute over the window.</param>
/// <param name="AvgReqTimeSeconds">Mean invocation time over the window, seconds.</param>
/// <param name="Counter">Requests since the platform started.</param>
public readonly record struct MonitorSnapshot(double AvgQpm, double AvgReqTimeSeconds, long Counter);

/// <summary>
/// Per-function request counts and times over a sliding 10-minute window, in one-second buckets
/// (600 buckets × 16 bytes per function). Time is injected.
/// </summary>
public sealed class FunctionStats(TimeProvider time)
{
    private const int WindowSeconds = 600;
    private readonly ConcurrentDictionary<string, Window> _windows = new();

    /// <summary>Counts one finished invocation of <paramref name="function"/>.</summary>
    public void Record(string function, double durationMs)
    {
        Window window = _windows.GetOrAdd(function, _ => new Window(time.GetUtcNow().ToUnixTimeSeconds()));
        window.Add(time.GetUtcNow().ToUnixTimeSeconds(), durationMs);
    }

    /// <summary>The figures for <paramref name="function"/> now.</summary>
    public MonitorSnapshot Snapshot(string function) =>
        _windows.TryGetValue(function, out Window? window) ? window.Snapshot(time.GetUtcNow().ToUnixTimeSeconds()) : default;

    /// <summary>Forgets a removed function.</summary>
    public void Remove(string function) => _windows.TryRemove(function, out _);

    private sealed class Window(long firstSecond)
    {
        private readonly long[] _second = new long[WindowSeconds];
        private readonly long[] _count = new long[WindowSeconds];
        private readonly double[] _totalMs = new double[WindowSeconds];
        private long _counter;

        public void Add(long now, double durationMs)
        {
            int slot = (int)(now % WindowSeconds);
            lock (this)
            {
                if (_second[slot] != now)
                {
                    _second[slot] = now;
                    _count[slot] = 0;
                    _totalMs[slot] = 0;
                }

                _count[slot]++;
                _totalMs[slot] += durationMs;
                _counter++;
            }
        }

        public MonitorSnapshot Snapshot(long now)
        {
            long count = 0;
            double totalMs = 0;
            lock (this)
            {
                for (int i = 0; i < WindowSeconds; i++)
                {
                    if (now - _second[i] < WindowSeconds)
                    {
                        count += _count[i];
                        totalMs += _totalMs[i];
                    }
                }

                // Minutes covered: the whole window once it is full, else since the first request, at
                // least one minute (30 requests in the first 10 s read as 30 per minute, not 180).
                double minutes = Math.Clamp((now - firstSecond + 1) / 60.0, 1, WindowSeconds / 60.0);
                return new MonitorSnapshot(count / minutes, count == 0 ? 0 : totalMs / count / 1000, _counter);
            }
        }
    }
}
