using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Serval.Server.Monitoring;

/// <summary>
/// Counters and histograms with <c>function</c> and <c>version</c> labels, written in Prometheus'
/// text format at <c>GET /metrics</c> (prometheus-net does not restore here, and this is all we need).
/// Updates are lock-free per series; series are created on first use.
/// </summary>
public sealed class Metrics
{
    /// <summary>Cold-start buckets, seconds: a warm-pool start is ~0.1 s, a large model tens of seconds.</summary>
    public static readonly double[] ColdStartBuckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    /// <summary>Queue-time and invocation buckets, seconds: from a 1 ms classifier to a 10 s job.</summary>
    public static readonly double[] LatencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly ConcurrentDictionary<(string Name, string Labels), Counter> _counters = new();
    private readonly ConcurrentDictionary<(string Name, string Labels), Histogram> _histograms = new();
    private readonly ConcurrentDictionary<string, string> _help = new();

    /// <summary>Adds <paramref name="value"/> to a counter.</summary>
    public void Count(string name, string help, string labels, double value = 1)
    {
        _help.TryAdd(name, help);
        _counters.GetOrAdd((name, labels), _ => new Counter()).Add(value);
    }

    /// <summary>Records one observation in a histogram.</summary>
    public void Observe(string name, string help, string labels, double value, double[] buckets)
    {
        _help.TryAdd(name, help);
        _histograms.GetOrAdd((name, labels), _ => new Histogram(buckets)).Observe(value);
    }

    /// <summary>The labels text for a function version: <c>function="ocr-rec",version="3"</c>.</summary>
    public static string Labels(string function, int version, params (string Key, string Value)[] more)
    {
        var text = new StringBuilder();
        text.Append("function=\"").Append(Escape(function)).Append("\",version=\"").Append(version.ToString(CultureInfo.InvariantCulture)).Append('"');
        foreach (var (key, value) in more)
        {
            text.Append(',').Append(key).Append("=\"").Append(Escape(value)).Append('"');
        }

        return text.ToString();
    }

    /// <summary>Writes every series, then <paramref name="gauges"/> (computed by the caller at scrape time).</summary>
    public string Render(IEnumerable<(string Name, string Help, string Labels, double Value)> gauges)
    {
        var text = new StringBuilder();
        foreach (var group in _counters.GroupBy(c => c.Key.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Header(text, group.Key, "counter");
            foreach (var (key, counter) in group.OrderBy(c => c.Key.Labels, StringComparer.Ordinal))
            {
                Line(text, group.Key, key.Labels, counter.Value);
            }
        }

        foreach (var group in _histograms.GroupBy(h => h.Key.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Header(text, group.Key, "histogram");
            foreach (var (key, histogram) in group.OrderBy(h => h.Key.Labels, StringComparer.Ordinal))
            {
                histogram.Write(text, group.Key, key.Labels);
            }
        }

        foreach (var group in gauges.GroupBy(g => g.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.Append("# HELP ").Append(group.Key).Append(' ').Append(group.First().Help).Append('\n');
            text.Append("# TYPE ").Append(group.Key).Append(" gauge\n");
            foreach (var gauge in group)
            {
                Line(text, gauge.Name, gauge.Labels, gauge.Value);
            }
        }

        return text.ToString();
    }

    private void Header(StringBuilder text, string name, string type)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(_help.GetValueOrDefault(name, name)).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    internal static void Line(StringBuilder text, string name, string labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{').Append(labels).Append('}');
        }

        text.Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private sealed class Counter
    {
        private long _bits;

        public double Value => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _bits));

        public void Add(double value)
        {
            long seen, next;
            do
            {
                seen = Interlocked.Read(ref _bits);
                next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(seen) + value);
            }
            while (Interlocked.CompareExchange(ref _bits, next, seen) != seen);
        }
    }

    private sealed class Histogram(double[] buckets)
    {
        private readonly long[] _counts = new long[buckets.Length + 1];
        private readonly Counter _sum = new();

        public void Observe(double value)
        {
            int i = 0;
            while (i < buckets.Length && value > buckets[i])
            {
                i++;
            }

            Interlocked.Increment(ref _counts[i]);
            _sum.Add(value);
        }

        public void Write(StringBuilder text, string name, string labels)
        {
            long cumulative = 0;
            string prefix = labels.Length > 0 ? labels + "," : "";
            for (int i = 0; i < buckets.Length; i++)
            {
                cumulative += Interlocked.Read(ref _counts[i]);
                Line(text, name + "_bucket", prefix + "le=\"" + buckets[i].ToString("R", CultureInfo.InvariantCulture) + "\"", cumulative);
            }

            cumulative += Interlocked.Read(ref _counts[buckets.Length]);
            Line(text, name + "_bucket", prefix + "le=\"+Inf\"", cumulative);
            Line(text, name + "_sum", labels, _sum.Value);
            Line(text, name + "_count", labels, cumulative);
        }
    }
}
