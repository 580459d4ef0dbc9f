using System.Runtime.InteropServices;

namespace Serval.Onnx.Native;

/// <summary>
/// Finds and loads <c>libonnxruntime.so.1</c> once and resolves its function table.
/// Search order: <c>SERVAL_ORT_LIB</c>; the application folder; <c>.deps/</c> (as installed by
/// <c>./serval up</c>) in the current folder or any parent of it or of the application folder;
/// then the system loader.
/// </summary>
internal static unsafe class OrtLibrary
{
    /// <summary>The API version Serval was checked against (ORT 1.30 accepts 1..30; every slot used exists from 15).</summary>
    public const uint ApiVersion = 17;

    private const string NpmRelativePath = ".deps/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1";
    private static readonly Lazy<Loaded> Instance = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static void** Api => Instance.Value.Api;

    public static string Version => Instance.Value.Version;

    public static string Path => Instance.Value.Path;

    private sealed class Loaded(void** api, string version, string path)
    {
        public void** Api { get; } = api;
        public string Version { get; } = version;
        public string Path { get; } = path;
    }

    private static Loaded Load()
    {
        string path = Locate();
        IntPtr handle;
        try
        {
            handle = NativeLibrary.Load(path);
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            throw new OrtException(OrtErrorCode.Fail,
                $"cannot load ONNX Runtime from '{path}': {e.Message}. Set SERVAL_ORT_LIB to a libonnxruntime.so.1, or run ./serval up to install it into .deps/");
        }

        var getApiBase = (delegate* unmanaged<void**>)NativeLibrary.GetExport(handle, "OrtGetApiBase");
        void** apiBase = getApiBase();
        var getApi = (delegate* unmanaged<uint, void**>)apiBase[0];
        var getVersion = (delegate* unmanaged<byte*>)apiBase[1];
        string version = Marshal.PtrToStringUTF8((IntPtr)getVersion()) ?? "?";
        void** api = getApi(ApiVersion);
        if (api == null)
        {
            throw new OrtException(OrtErrorCode.Fail,
                $"ONNX Runtime {version} at '{path}' does not offer C API version {ApiVersion}; Serval needs ONNX Runtime 1.{ApiVersion} or newer");
        }

        return new Loaded(api, version, path);
    }

    private static string Locate()
    {
        string? configured = Environment.GetEnvironmentVariable("SERVAL_ORT_LIB");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (!File.Exists(configured))
            {
                throw new OrtException(OrtErrorCode.NoSuchFile, $"SERVAL_ORT_LIB points at '{configured}', which does not exist");
            }

            return configured;
        }

        string local = System.IO.Path.Combine(AppContext.BaseDirectory, "libonnxruntime.so.1");
        if (File.Exists(local))
        {
            return local;
        }

        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir != null; dir = dir.Parent)
            {
                string candidate = System.IO.Path.Combine(dir.FullName, NpmRelativePath);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        // Last resort: the system loader (a system-wide install, LD_LIBRARY_PATH).
        return "libonnxruntime.so.1";
    }
}
