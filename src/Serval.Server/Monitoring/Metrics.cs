using System.Globalization;
using Prometheus;
using Serval.Core.Wire;

namespace Serval.Server.Monitoring;

/// <summary>
/// The platform's metric families on prometheus-net, in a registry of their own (two platforms in one
/// process, as in the tests, never share a series). Events are counted here as they happen; what is a
/// state rather than an event (instances, queues, capacity, the async backlog) is read at scrape time
/// by <see cref="ScrapeGauges"/>. Names follow Prometheus' conventions (<c>serval_</c>, base units,
/// <c>_total</c> counters) and map onto OpenTelemetry's FaaS metrics where one exists: README, "Metrics".
/// </summary>
/// <remarks>
/// prometheus-net rather than OpenTelemetry's Prometheus exporter: the exporter is still a beta, and
/// prometheus-net writes the text format that <c>promtool check metrics</c> and every Prometheus read.
/// </remarks>
public sealed class Metrics
{
    /// <summary>Cold-start buckets, seconds: a warm-pool start is ~0.1 s, a large model tens of seconds.</summary>
    public static readonly double[] ColdStartBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    /// <summary>Request, queue and compute buckets, seconds: from a 1 ms classifier to a 10 s job.</summary>
    public static readonly double[] LatencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private static readonly string[] Version = ["function", "version"];

    private readonly Counter _invocations;
    private readonly Histogram _request;
    private readonly Histogram _queue;
    private readonly Histogram _compute;
    private readonly Counter _billed;
    private readonly Counter _coldStarts;
    private readonly Histogram _coldStart;
    private readonly Histogram _planSteps;
    private readonly Counter _asyncAccepted;
    private readonly Counter _asyncEnded;
    private readonly Counter _triggerFires;
    private readonly Counter _quotaRejections;

    /// <summary>Creates the families in a new registry.</summary>
    public Metrics()
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        IMetricFactory factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        _invocations = factory.CreateCounter("serval_invocations_total", "Invocations answered, by status code and cause (ok or the error's class).", [.. Version, "code", "cause"]);
        _request = factory.CreateHistogram("serval_request_duration_seconds", "Time from dispatch to answer: queue (a cold start included) plus compute.", Histogram(Version, LatencyBuckets));
        _queue = factory.CreateHistogram("serval_queue_duration_seconds", "Time invocations waited for a free instance slot (a cold start included).", Histogram(Version, LatencyBuckets));
        _compute = factory.CreateHistogram("serval_compute_duration_seconds", "Time invocations spent in an instance, sent to answered.", Histogram(Version, LatencyBuckets));
        _billed = factory.CreateCounter("serval_billed_seconds_total", "Billed instance time: each invocation's compute time in whole milliseconds, rounded up.", Version);
        _coldStarts = factory.CreateCounter("serval_cold_starts_total", "Instances started (each a cold start).", Version);
        _coldStart = factory.CreateHistogram("serval_cold_start_duration_seconds", "Time from an instance being needed to ready.", Histogram(Version, ColdStartBuckets));
        _planSteps = factory.CreateHistogram("serval_plan_step_duration_seconds", "Time each step of a plan took, every item of a map step included; function is the plan.", Histogram([.. Version, "step"], LatencyBuckets));
        _asyncAccepted = factory.CreateCounter("serval_async_accepted_total", "Asynchronous invocations accepted, by source (api, trigger, plan, ...).", [.. Version, "source"]);
        _asyncEnded = factory.CreateCounter("serval_async_invocations_total", "Asynchronous invocations ended, by final status.", [.. Version, "status"]);
        _triggerFires = factory.CreateCounter("serval_trigger_fires_total", "Trigger fires submitted.", Version);
        _quotaRejections = factory.CreateCounter("serval_quota_rejections_total", "Requests refused with 429 by an API key's quota, by key id and quota (rpm or concurrency).", ["key", "quota"]);

        Instances = factory.CreateGauge("serval_instances", "Instances by state.", [.. Version, "state"]);
        Queued = factory.CreateGauge("serval_queued", "Requests waiting for a free instance slot.", Version);
        InFlight = factory.CreateGauge("serval_in_flight", "Invocations running.", Version);
        AsyncQueued = factory.CreateGauge("serval_async_queued", "Asynchronous invocations accepted and waiting for a run.", Version);
        AsyncRunning = factory.CreateGauge("serval_async_running", "Asynchronous invocations running.", Version);
        AsyncOldestAge = factory.CreateGauge("serval_async_oldest_queued_age_seconds", "Age of the oldest queued asynchronous invocation.", Version);
        NodeCores = factory.CreateGauge("serval_node_cores", "Cores this node offers to instances.");
        NodeCoresReserved = factory.CreateGauge("serval_node_cores_reserved", "Cores reserved by instances on this node.");
        NodeMemory = factory.CreateGauge("serval_node_memory_bytes", "Memory this node offers to instances.");
        NodeMemoryReserved = factory.CreateGauge("serval_node_memory_reserved_bytes", "Memory reserved by instances on this node.");
        NodeGpus = factory.CreateGauge("serval_node_gpus", "GPU devices this node offers to instances.");
        NodeGpusReserved = factory.CreateGauge("serval_node_gpus_reserved", "GPU devices' shares reserved by instances on this node.");
    }

    /// <summary>The registry every family lives in, written by <c>GET /metrics</c>.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Instances by state, set at scrape time.</summary>
    public Gauge Instances { get; }

    /// <summary>Each version's queue depth, set at scrape time.</summary>
    public Gauge Queued { get; }

    /// <summary>Each version's invocations running, set at scrape time.</summary>
    public Gauge InFlight { get; }

    /// <summary>Queued asynchronous invocations per version, set at scrape time.</summary>
    public Gauge AsyncQueued { get; }

    /// <summary>Running asynchronous invocations per version, set at scrape time.</summary>
    public Gauge AsyncRunning { get; }

    /// <summary>The oldest queued asynchronous invocation's age per version, set at scrape time.</summary>
    public Gauge AsyncOldestAge { get; }

    /// <summary>The node's cores.</summary>
    public Gauge NodeCores { get; }

    /// <summary>The node's reserved cores.</summary>
    public Gauge NodeCoresReserved { get; }

    /// <summary>The node's memory, bytes.</summary>
    public Gauge NodeMemory { get; }

    /// <summary>The node's reserved memory, bytes.</summary>
    public Gauge NodeMemoryReserved { get; }

    /// <summary>The node's GPU devices.</summary>
    public Gauge NodeGpus { get; }

    /// <summary>The node's reserved GPU shares.</summary>
    public Gauge NodeGpusReserved { get; }

    /// <summary>
    /// Counts one answered invocation: its code and cause, and for one that reached the dispatcher its
    /// queue, compute and request time and its billed time.
    /// </summary>
    public void Invocation(string function, int version, InvokeError? error, double queueMs, double computeMs, bool dispatched)
    {
        string v = Text(version);
        _invocations.WithLabels(function, v, Text(error is null ? 200 : (int)error.Kind), Cause(error)).Inc();
        if (!dispatched)
        {
            return;
        }

        _queue.WithLabels(function, v).Observe(queueMs / 1000);
        _request.WithLabels(function, v).Observe((queueMs + computeMs) / 1000);
        if (computeMs > 0)
        {
            _compute.WithLabels(function, v).Observe(computeMs / 1000);
            _billed.WithLabels(function, v).Inc(Math.Ceiling(computeMs) / 1000);
        }
    }

    /// <summary>Counts one call of a plan under the plan's own name, with each step's time.</summary>
    public void PlanCall(string plan, int version, InvokeError? error, double durationMs, IEnumerable<(string Step, double DurationMs)> steps)
    {
        string v = Text(version);
        _invocations.WithLabels(plan, v, Text(error is null ? 200 : (int)error.Kind), Cause(error)).Inc();
        _request.WithLabels(plan, v).Observe(durationMs / 1000);
        foreach (var (step, ms) in steps)
        {
            _planSteps.WithLabels(plan, v, step).Observe(ms / 1000);
        }
    }

    /// <summary>Counts one cold start and its duration.</summary>
    public void ColdStart(string function, int version, double seconds)
    {
        string v = Text(version);
        _coldStarts.WithLabels(function, v).Inc();
        _coldStart.WithLabels(function, v).Observe(seconds);
    }

    /// <summary>Counts one accepted asynchronous invocation.</summary>
    public void AsyncAccepted(string function, int version, string source) => _asyncAccepted.WithLabels(function, Text(version), source).Inc();

    /// <summary>Counts one asynchronous invocation that ended with <paramref name="status"/>.</summary>
    public void AsyncEnded(string function, int version, string status) => _asyncEnded.WithLabels(function, Text(version), status).Inc();

    /// <summary>Asynchronous invocations that ended <c>Failed</c> or <c>Expired</c> since the platform started, per function (all versions).</summary>
    public IReadOnlyDictionary<string, double> AsyncFailures()
    {
        var totals = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string[] labels in _asyncEnded.GetAllLabelValues())
        {
            if (labels[2] is "Failed" or "Expired")
            {
                totals[labels[0]] = totals.GetValueOrDefault(labels[0]) + _asyncEnded.WithLabels(labels).Value;
            }
        }

        return totals;
    }

    /// <summary>Counts one trigger fire.</summary>
    public void TriggerFired(string function, int version) => _triggerFires.WithLabels(function, Text(version)).Inc();

    /// <summary>Counts one request refused by key <paramref name="keyId"/>'s <paramref name="quota"/>.</summary>
    public void QuotaRejected(string keyId, string quota) => _quotaRejections.WithLabels(keyId, quota).Inc();

    /// <summary>Writes every family in Prometheus' text format.</summary>
    public Task WriteAsync(Stream destination, CancellationToken cancellationToken) =>
        Registry.CollectAndExportAsTextAsync(destination, ExpositionFormat.PrometheusText, cancellationToken);

    /// <summary>The <c>cause</c> label: <c>ok</c>, or the error's class in snake case (<c>bad_input</c>, <c>timeout</c>, ...).</summary>
    public static string Cause(InvokeError? error) => error?.Kind switch
    {
        null => "ok",
        ErrorKind.BadInput => "bad_input",
        ErrorKind.NotFound => "not_found",
        ErrorKind.TooLarge => "too_large",
        ErrorKind.Overloaded => "overloaded",
        ErrorKind.FunctionError => "function_error",
        ErrorKind.InstanceFailed => "instance_failed",
        ErrorKind.Unavailable => "unavailable",
        ErrorKind.Timeout => "timeout",
        { } other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>Sets a labelled gauge family to exactly <paramref name="values"/>: series no longer present are removed.</summary>
    public static void SetAll(Gauge gauge, IEnumerable<(string[] Labels, double Value)> values)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (labels, value) in values)
        {
            gauge.WithLabels(labels).Set(value);
            seen.Add(string.Join('\0', labels));
        }

        foreach (string[] labels in gauge.GetAllLabelValues().ToList())
        {
            if (!seen.Contains(string.Join('\0', labels)))
            {
                gauge.RemoveLabelled(labels);
            }
        }
    }

    /// <summary>A label value for a number, culture-invariant.</summary>
    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static HistogramConfiguration Histogram(string[] labels, double[] buckets) => new() { LabelNames = labels, Buckets = buckets };
}
