using Serval.Core.Scheduling;

namespace Serval.Core.Specs;

/// <summary>How an instance runs a function.</summary>
public enum RuntimeKind
{
    /// <summary>A model file becomes an API.</summary>
    Onnx,
    /// <summary>A class library implementing Serval.Sdk's handler interface.</summary>
    Dotnet,
    /// <summary>An execution plan over other functions (the spec has <c>plan</c>, no <c>runtime</c>).</summary>
    Plan,
}

/// <summary>
/// A function as its <c>serval.yaml</c> describes it, validated. Immutable: a version stores the
/// file's text and this is parsed from it again wherever it is needed.
/// </summary>
public sealed record FunctionSpec
{
    /// <summary>The function's name: lower-case letters, digits and '-', starting with a letter, at most 63 characters.</summary>
    public required string Name { get; init; }

    /// <summary>The runtime.</summary>
    public required RuntimeKind Runtime { get; init; }

    /// <summary><c>model</c>: the model file of an <c>onnx</c> function, relative to the spec's folder.</summary>
    public string? Model { get; init; }

    /// <summary><c>models</c>: name → model file, the ONNX sessions a <c>dotnet</c> handler receives.</summary>
    public IReadOnlyDictionary<string, string> Models { get; init; } = new Dictionary<string, string>();

    /// <summary><c>handler</c>: the full name of the class implementing <c>Serval.Sdk.IFunctionHandler</c> (<c>dotnet</c>).</summary>
    public string? Handler { get; init; }

    /// <summary>
    /// <c>entry</c>: for <c>dotnet</c>, the project to build (a <c>.csproj</c>, default the only one
    /// beside the spec); the deployed package holds its published output.
    /// </summary>
    public string? Entry { get; init; }

    /// <summary><c>description</c>: free text shown in listings.</summary>
    public string? Description { get; init; }

    /// <summary><c>instances</c>.</summary>
    public InstancesSpec Instances { get; init; } = new();

    /// <summary><c>resources</c>.</summary>
    public ResourcesSpec Resources { get; init; } = new();

    /// <summary><c>timeout</c>: the longest one invocation may run (default 60 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary><c>env</c>: environment variables of the instance process.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// <c>schedule</c>: minimums by time of day or week, in file order (empty: <c>instances.min</c>
    /// always). <see cref="ScheduledMinimum.At"/> turns them into the minimum at a given time.
    /// </summary>
    public IReadOnlyList<ScheduleEntry> Schedule { get; init; } = [];

    /// <summary>
    /// <c>timezone</c>: the time zone id (IANA, as the system knows it: <c>Europe/Berlin</c>) the
    /// schedule's and the triggers' crons are read in; default <c>UTC</c>. Resolve with <see cref="TimeZoneInfo.FindSystemTimeZoneById"/>.
    /// </summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>
    /// <c>triggers</c>: crons that invoke the function (or plan) asynchronously with a JSON payload,
    /// read in <see cref="TimeZone"/>, in file order (an entry's index names it).
    /// </summary>
    public IReadOnlyList<TriggerSpec> Triggers { get; init; } = [];

    /// <summary><c>async</c>: retries, maximum age and destinations of asynchronous invocations (defaults when absent).</summary>
    public AsyncSpec Async { get; init; } = new();

    /// <summary><c>batching: {max, delay, buckets}</c>: dynamic batching in the instance; null when off.</summary>
    public Batching.BatchingOptions? Batching { get; init; }

    /// <summary><c>plan</c>: the steps of a plan (<see cref="RuntimeKind.Plan"/>); null for a function.</summary>
    public PlanSpec? Plan { get; init; }

    /// <summary><c>routes</c>: the (bid, tid) pairs this function or plan serves on <c>/predict</c>.</summary>
    public IReadOnlyList<RouteSpec> Routes { get; init; } = [];

    /// <summary><c>release</c>: how a deploy of this version moves traffic to it; null: at once (a hot update).</summary>
    public ReleaseSpec? Release { get; init; }

    /// <summary>The line of each key in the file (<c>"instances.max"</c> → 4), for errors found after parsing.</summary>
    public IReadOnlyDictionary<string, int> Lines { get; init; } = new Dictionary<string, int>();

    /// <summary>The column of each key in the file, beside <see cref="Lines"/>.</summary>
    public IReadOnlyDictionary<string, int> Columns { get; init; } = new Dictionary<string, int>();

    /// <summary>Every model file the spec names, with the key that names it (<c>model</c>, <c>models.det</c>).</summary>
    public IEnumerable<(string Field, string Path)> ModelFiles()
    {
        if (Model is not null)
        {
            yield return ("model", Model);
        }

        foreach (var (name, path) in Models)
        {
            yield return ($"models.{name}", path);
        }
    }
}

/// <summary><c>instances: { min, max, concurrency, idle }</c>.</summary>
public sealed record InstancesSpec
{
    /// <summary>
    /// Instances kept ready whatever the load (provisioned). With a <c>schedule</c>, the minimum
    /// when no entry has fired within <see cref="ScheduledMinimum.Lookback"/>.
    /// </summary>
    public int Min { get; init; }

    /// <summary>The most instances at once.</summary>
    public int Max { get; init; } = 4;

    /// <summary>Invocations one instance runs at once.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>How long an instance may sit with no invocation before it is stopped.</summary>
    public TimeSpan Idle { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary><c>resources: { cpu, memory, gpu }</c>.</summary>
public sealed record ResourcesSpec
{
    /// <summary>
    /// Cores reserved for one instance on its node; also its ONNX Runtime intra-op threads (rounded
    /// up). Default 0.5: an instance of a small model is mostly idle between requests, so two share a
    /// core, and a 2-core laptop hosts four (the demo) without overcommitting.
    /// </summary>
    public double Cpu { get; init; } = 0.5;

    /// <summary>Memory limit of one instance in MiB (default 2048).</summary>
    public int MemoryMb { get; init; } = 2048;

    /// <summary>GPUs for one instance; may be a fraction (0 = CPU only).</summary>
    public double Gpu { get; init; }
}
