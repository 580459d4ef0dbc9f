using System.Text.Json;
using System.Text.Json.Serialization;
using Serval.Core.Specs;

namespace Serval.Core.Wire;

/// <summary>
/// What an instance process is told at start, as JSON in the file named by <c>--config</c>. The node
/// agent derives it from the version's spec, so the instance host never parses <c>serval.yaml</c>.
/// </summary>
public sealed record InstanceConfig
{
    /// <summary>The function's name.</summary>
    public required string Function { get; init; }

    /// <summary>The version number.</summary>
    public required int Version { get; init; }

    /// <summary>The instance's id (also in <c>X-Serval-Instance</c>).</summary>
    public required string InstanceId { get; init; }

    /// <summary>The runtime.</summary>
    public required RuntimeKind Runtime { get; init; }

    /// <summary>The folder holding the version's package (its files at their relative paths).</summary>
    public required string PackageDirectory { get; init; }

    /// <summary>The Unix socket path to listen on.</summary>
    public required string SocketPath { get; init; }

    /// <summary><c>onnx</c>: the model file, relative to the package.</summary>
    public string? Model { get; init; }

    /// <summary><c>dotnet</c>: name → model file, relative to the package.</summary>
    public Dictionary<string, string> Models { get; init; } = [];

    /// <summary><c>dotnet</c>: the handler class's full name.</summary>
    public string? Handler { get; init; }

    /// <summary>ONNX Runtime intra-op threads per session.</summary>
    public int IntraOpThreads { get; init; } = 1;

    /// <summary>Run sessions on the GPU.</summary>
    public bool Gpu { get; init; }

    /// <summary>GPUs reserved for the instance on its node (<c>resources.gpu</c>; a fraction shares one).</summary>
    public double Gpus { get; init; }

    /// <summary>Invocations run at once; more wait in the instance.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>Cores reserved for the instance on its node (<c>resources.cpu</c>).</summary>
    public double Cores { get; init; } = 0.5;

    /// <summary>The instance's memory limit in MiB (<c>resources.memory</c>); the node agent kills it above.</summary>
    public long MemoryLimitMb { get; init; } = 2048;

    /// <summary>
    /// How long an invocation may keep running after it was cancelled (deadline or Cancel frame) before
    /// the instance gives up on itself and exits, so the platform replaces it.
    /// </summary>
    public int HungGraceMs { get; init; } = 5000;

    /// <summary>Where ONNX Runtime may cache optimised graphs (null: no cache).</summary>
    public string? GraphCacheDirectory { get; init; }

    /// <summary>The spec's <c>env</c>: environment variables the instance sets before loading the function.</summary>
    public Dictionary<string, string> Env { get; init; } = [];

    /// <summary>Dynamic batching (<c>batching</c> in the spec); null: every invocation runs alone.</summary>
    public Batching.BatchingOptions? Batching { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        WriteIndented = true,
    };

    /// <summary>Serialises to JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Parses the JSON written by <see cref="ToJson"/>.</summary>
    public static InstanceConfig FromJson(string json) =>
        JsonSerializer.Deserialize<InstanceConfig>(json, Json) ?? throw new InvalidDataException("instance config is empty");
}

/// <summary>
/// The line an instance prints on stdout once it can serve: <c>SERVAL-READY {json}</c> with the
/// metadata of its model(s) and what loading cost. <c>SERVAL-FAILED message</c> instead when it cannot
/// start; the process then exits non-zero.
/// </summary>
public sealed record ReadyReport
{
    /// <summary>The prefix of the ready line.</summary>
    public const string ReadyPrefix = "SERVAL-READY ";

    /// <summary>The prefix of the failure line.</summary>
    public const string FailedPrefix = "SERVAL-FAILED ";

    /// <summary>The line a pooled instance (<c>--pool</c>) prints once it waits for its assignment (see <see cref="Frame"/>).</summary>
    public const string PooledLine = "SERVAL-POOLED";

    /// <summary>The served model's inputs (onnx runtime), or empty.</summary>
    public List<TensorInfo> Inputs { get; init; } = [];

    /// <summary>The served model's outputs (onnx runtime), or empty.</summary>
    public List<TensorInfo> Outputs { get; init; } = [];

    /// <summary>
    /// Milliseconds from process start to the end of the ready report; for a pooled instance, from
    /// its assignment (the time it sat in the pool is not part of its start).
    /// </summary>
    public double StartMs { get; init; }

    /// <summary>True when the instance was a pooled process given its function by an Assign frame.</summary>
    public bool Pooled { get; init; }

    /// <summary>Milliseconds spent creating sessions.</summary>
    public double LoadMs { get; init; }

    /// <summary>Milliseconds spent in the warm-up run(s).</summary>
    public double WarmupMs { get; init; }

    /// <summary>The ONNX Runtime version.</summary>
    public string OrtVersion { get; init; } = "";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The whole ready line.</summary>
    public string ToLine() => ReadyPrefix + JsonSerializer.Serialize(this, Json);

    /// <summary>Parses the JSON after <see cref="ReadyPrefix"/>.</summary>
    public static ReadyReport Parse(string json) =>
        JsonSerializer.Deserialize<ReadyReport>(json, Json) ?? throw new InvalidDataException("empty ready report");
}

/// <summary>A tensor's metadata as the ready report and the OIP model metadata carry it.</summary>
/// <param name="Name">The name.</param>
/// <param name="Datatype">The OIP datatype (<c>FP32</c>...).</param>
/// <param name="Shape">Dimensions, -1 where dynamic.</param>
public sealed record TensorInfo(string Name, string Datatype, long[] Shape);
