using System.Collections.Concurrent;
using Serval.Core.Releases;
using Serval.Core.Wire;

namespace Serval.Server.Releases;

/// <summary>
/// What the two versions of each running release answered since its step began: requests, errors
/// and the latest latencies (for the p99). Fed by every answered invocation; a version nobody
/// watches costs one dictionary miss.
/// </summary>
public sealed class ReleaseWindows
{
    /// <summary>
    /// Latencies kept per version and step for the p99: the latest 8192. At the 8 clients of the
    /// release bench (about 1,000 calls a second) that is the last 8 s, and its p99 rests on 80 calls.
    /// </summary>
    public const int Samples = 8192;

    private readonly ConcurrentDictionary<(string Function, int Version), Window> _windows = new();

    /// <summary>Counts <paramref name="version"/> of <paramref name="function"/> from now on, from zero.</summary>
    public void Watch(string function, int version) => _windows[(function, version)] = new Window();

    /// <summary>Counts <paramref name="version"/> of <paramref name="function"/> from now on, unless it is counted already.</summary>
    public void EnsureWatched(string function, int version) => _windows.TryAdd((function, version), new Window());

    /// <summary>Stops counting every version of <paramref name="function"/>.</summary>
    public void Forget(string function)
    {
        foreach (var key in _windows.Keys)
        {
            if (key.Function == function)
            {
                _windows.TryRemove(key, out _);
            }
        }
    }

    /// <summary>Counts one answered invocation, if its version is watched.</summary>
    public void Record(string function, int version, InvokeError? error, double latencyMs)
    {
        if (_windows.TryGetValue((function, version), out Window? window))
        {
            window.Add(error is not null && IsVersionFault(error.Kind), latencyMs);
        }
    }

    /// <summary>What <paramref name="version"/> answered since it was watched (nothing when it is not).</summary>
    public VersionWindow Observe(string function, int version) =>
        _windows.TryGetValue((function, version), out Window? window) ? window.Observe(version) : new VersionWindow(version, 0, 0, 0);

    /// <summary>Failures that are the version's doing: its code, a crash, no instance, the deadline. Bad input and overload are not.</summary>
    public static bool IsVersionFault(ErrorKind kind) =>
        kind is ErrorKind.FunctionError or ErrorKind.InstanceFailed or ErrorKind.Unavailable or ErrorKind.Timeout;

    private sealed class Window
    {
        private readonly Lock _gate = new();
        private readonly double[] _latencies = new double[Samples];
        private long _requests;
        private long _errors;

        public void Add(bool error, double latencyMs)
        {
            lock (_gate)
            {
                _latencies[_requests % Samples] = latencyMs;
                _requests++;
                if (error)
                {
                    _errors++;
                }
            }
        }

        public VersionWindow Observe(int version)
        {
            double[] sorted;
            long requests, errors;
            lock (_gate)
            {
                requests = _requests;
                errors = _errors;
                sorted = _latencies.AsSpan(0, (int)Math.Min(requests, Samples)).ToArray();
            }

            if (sorted.Length == 0)
            {
                return new VersionWindow(version, 0, 0, 0);
            }

            // Nearest rank: 200 samples → the 198th smallest (ceil(0.99 × 200) = 198).
            Array.Sort(sorted);
            int rank = (int)Math.Ceiling(0.99 * sorted.Length);
            return new VersionWindow(version, requests, errors, sorted[Math.Max(rank, 1) - 1]);
        }
    }
}
