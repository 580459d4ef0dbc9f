using Serval.Onnx.Native;

namespace Serval.Onnx;

/// <summary>
/// The process-wide ONNX Runtime environment (one per process, as ORT requires), created on first use.
/// </summary>
public static unsafe class OrtEnvironment
{
    private static readonly Lazy<OrtEnvHandle> Env = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<OrtMemoryInfoHandle> Cpu = new(() => new OrtMemoryInfoHandle(OrtApi.CreateCpuMemoryInfo()), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The ONNX Runtime version string, e.g. "1.30.0".</summary>
    public static string Version => OrtLibrary.Version;

    /// <summary>The file the library was loaded from.</summary>
    public static string LibraryPath => OrtLibrary.Path;

    /// <summary>Loads the library and creates the environment now (instead of on the first session).</summary>
    public static void Initialize() => _ = Env.Value;

    internal static OrtEnvHandle Handle => Env.Value;

    internal static OrtMemoryInfoHandle CpuMemory => Cpu.Value;

    private static OrtEnvHandle Create()
    {
        // Level 3 = ORT_LOGGING_LEVEL_ERROR: warnings (e.g. about unused initialisers) are not the user's concern.
        fixed (byte* id = "serval"u8)
        {
            return new OrtEnvHandle(OrtApi.CreateEnv(3, id));
        }
    }
}
