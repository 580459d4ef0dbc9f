namespace Serval.Node;

/// <summary>Settings of the node agent.</summary>
public sealed record NodeOptions
{
    /// <summary>Where instance configs and logs go (under the platform's data folder).</summary>
    public required string RunDirectory { get; init; }

    /// <summary>
    /// Where instance sockets go. Kept short on purpose: a Unix socket path may hold at most 107
    /// bytes, and data folders can be deep.
    /// </summary>
    public string SocketDirectory { get; init; } = Path.Combine(Path.GetTempPath(), $"serval-{Environment.ProcessId}");

    /// <summary>
    /// How long an instance may take to load and warm up before it is killed. 60 s: the largest demo
    /// model (det) is ready in about 0.3 s; a GPU session or a large model takes tens of seconds.
    /// </summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a stopping instance may finish its in-flight invocations before SIGKILL.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long an invocation may run on after its deadline before its instance is declared hung and
    /// replaced. 5 s: a healthy instance stops a cancelled ONNX run or handler within milliseconds.
    /// </summary>
    public TimeSpan HungGrace { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The <c>dotnet</c> host that runs the instance dll.</summary>
    public string DotnetHost { get; init; } = "dotnet";

    /// <summary>The instance host dll; null to find it with <see cref="Instances.InstanceHostLocator"/>.</summary>
    public string? InstanceHostPath { get; init; }

    /// <summary>
    /// Where ONNX Runtime caches optimised graphs, one file per model content (see the instance's
    /// SessionLoader), shared by every version and the deploy check; null for no cache.
    /// </summary>
    public string? GraphCacheDirectory { get; init; }

    /// <summary>
    /// Generic instance processes kept started and waiting (<see cref="Instances.WarmPool"/>); 0 for none.
    /// 2: a cold start takes one and its replacement starts a moment later (see
    /// <see cref="WarmPoolRefillDelay"/>) and needs about 0.2 s to be ready, so a second one covers two
    /// functions (or a version scaling out) needing an instance at once. A waiting process costs no CPU
    /// and about 75 MB resident, of which 14 MB is its own: the rest is the .NET runtime's and ONNX
    /// Runtime's code, shared with every other instance through the page cache.
    /// </summary>
    public int WarmPoolSize { get; init; } = 2;

    /// <summary>
    /// How long after a pooled process is taken its replacement starts. 1 s: by then the cold start
    /// that took it has loaded and answered its first request (det about 0.25 s on 2 cores), so the
    /// replacement's start (about 0.2 s of a core) does not compete with it. On a quiet 2-core machine
    /// an immediate refill cost little (det p50 229 → 248 ms, rec 117 → 122 ms, bench/RESULTS.md); with
    /// other work on the cores it made det's first request 370–430 ms, against a fresh process's
    /// 200–270 ms. A second cold start within that second takes the pool's other process.
    /// </summary>
    public TimeSpan WarmPoolRefillDelay { get; init; } = TimeSpan.FromSeconds(1);
}
