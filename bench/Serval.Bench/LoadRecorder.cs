using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Serval.Bench;

/// <summary>One finished request: when it ended (seconds since the run began), its latency, its status and the instance's own duration.</summary>
public readonly record struct Sample(double EndSeconds, double LatencyMs, int Status, double InstanceMs, bool Cold, string Instance);

/// <summary>Closed-loop clients whose number follows a schedule, recording every request.</summary>
public sealed class LoadRecorder(Platform platform, Payload payload, string path)
{
    private readonly ConcurrentBag<Sample> _samples = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Everything recorded so far.</summary>
    public IReadOnlyList<Sample> Samples => _samples.OrderBy(s => s.EndSeconds).ToList();

    /// <summary>Seconds since this recorder was made.</summary>
    public double Now => _clock.Elapsed.TotalSeconds;

    /// <summary>Runs <paramref name="clients"/>(t) clients until <paramref name="seconds"/> have passed (or <paramref name="cancel"/> is cancelled).</summary>
    public async Task RunAsync(Func<double, int> clients, double seconds, CancellationToken cancel = default)
    {
        double end = Now + seconds;
        var workers = new List<Task>();
        var active = new Stack<CancellationTokenSource>();
        while (Now < end && !cancel.IsCancellationRequested)
        {
            int want = clients(Now);
            while (active.Count < want)
            {
                var stop = new CancellationTokenSource();
                active.Push(stop);
                workers.Add(Task.Run(() => ClientAsync(() => Now < end && !stop.IsCancellationRequested)));
            }

            while (active.Count > want)
            {
                active.Pop().Cancel(); // it stops after its current request
            }

            await Task.Delay(20);
        }

        while (active.Count > 0)
        {
            active.Pop().Cancel();
        }

        await Task.WhenAll(workers);
    }

    /// <summary>
    /// Seconds during which each instance had at least one invocation, summed over instances: the
    /// union of the intervals [end − instance time, end] per instance (the client's end lags the
    /// instance's by the HTTP hop, the same for every sample).
    /// </summary>
    public static double BusySeconds(IEnumerable<Sample> samples)
    {
        double busy = 0;
        foreach (var group in samples.Where(s => s.Instance.Length > 0).GroupBy(s => s.Instance))
        {
            double coveredUntil = double.MinValue;
            foreach (var (start, end) in group.Select(s => (s.EndSeconds - s.InstanceMs / 1000, s.EndSeconds)).OrderBy(x => x.Item1))
            {
                if (end <= coveredUntil)
                {
                    continue;
                }

                busy += end - Math.Max(start, coveredUntil);
                coveredUntil = end;
            }
        }

        return busy;
    }

    private async Task ClientAsync(Func<bool> keepGoing)
    {
        while (keepGoing())
        {
            using HttpRequestMessage request = payload.Request(path);
            long t = Stopwatch.GetTimestamp();
            using HttpResponseMessage response = await platform.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            await Payload.DrainAsync(response);
            double latency = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
            double instanceMs = response.Headers.TryGetValues("X-Serval-Duration-Ms", out var d) ? double.Parse(d.First(), CultureInfo.InvariantCulture) : 0;
            bool cold = response.Headers.TryGetValues("X-Serval-Cold-Start", out var c) && c.First() == "true";
            string instance = response.Headers.TryGetValues("X-Serval-Instance", out var i) ? i.First() : "";
            _samples.Add(new Sample(Now, latency, (int)response.StatusCode, instanceMs, cold, instance));
        }
    }
}
