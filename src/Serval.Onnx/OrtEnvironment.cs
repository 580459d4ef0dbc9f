using Microsoft.ML.OnnxRuntime;

namespace Serval.Onnx;

/// <summary>
/// The process-wide ONNX Runtime environment (one per process, as ORT requires), created on first
/// use with Serval's library choice (<see cref="OrtLibrary"/>) and ORT's logging at errors only.
/// </summary>
public static class OrtEnvironment
{
    private static readonly Lazy<OrtEnv> Env = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<string> Loaded = new(() => { _ = Env.Value; return OrtLibrary.LoadedPath(); });

    /// <summary>The ONNX Runtime version string, e.g. "1.30.0".</summary>
    public static string Version => Env.Value.GetVersionString();

    /// <summary>The <c>libonnxruntime.so</c> file that was loaded.</summary>
    public static string LibraryPath => Loaded.Value;

    /// <summary>The execution providers the loaded build has (<c>CPUExecutionProvider</c>, <c>CUDAExecutionProvider</c>…).</summary>
    public static IReadOnlyList<string> Providers => Env.Value.GetAvailableProviders();

    /// <summary>Chooses and loads the library and creates the environment now (instead of on the first session).</summary>
    /// <exception cref="OrtException">The library cannot be loaded; the message says which and why.</exception>
    public static void Initialize() => _ = Env.Value;

    private static OrtEnv Create()
    {
        OrtLibrary.Install();
        try
        {
            // Errors only: warnings (e.g. about unused initialisers) are not the user's concern.
            var options = new EnvironmentCreationOptions { logId = "serval", logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
            return OrtEnv.CreateInstanceWithOptions(ref options);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException)
        {
            throw new OrtException(OrtErrorCode.Fail,
                $"cannot load ONNX Runtime from '{OrtLibrary.ChosenPath ?? "the Microsoft.ML.OnnxRuntime package"}': {e.Message}. " +
                "Set SERVAL_ORT_LIB to a libonnxruntime.so, or rebuild so the package's library is beside the application");
        }
    }
}
