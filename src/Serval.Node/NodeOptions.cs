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

    /// <summary>Where ONNX Runtime caches optimised graphs per version; null for no cache.</summary>
    public string? GraphCacheDirectory { get; init; }
}
