using System.Reflection;
using System.Runtime.InteropServices;

namespace Serval.Onnx;

/// <summary>
/// Chooses, once per process and before ONNX Runtime's first call, which <c>libonnxruntime.so</c>
/// the official package's P/Invokes bind to. One process can hold only one: the CPU and the GPU
/// packages both ship a library of that name. In order:
/// <list type="number">
/// <item><c>SERVAL_ORT_LIB</c>, a library the operator names (it must exist);</item>
/// <item>the GPU build, on a machine with an NVIDIA GPU (<c>/dev/nvidia0</c>…), from
/// <c>SERVAL_ORT_GPU_DIR</c> or <c>.deps/ort-gpu/</c> (installed there by <c>scripts/setup.sh</c> on
/// such a machine) in the current folder, the application folder or any parent of them; it runs CPU
/// sessions as well, so every instance on the node can use it;</item>
/// <item>the CPU build that <c>Microsoft.ML.OnnxRuntime</c> puts beside the application.</item>
/// </list>
/// </summary>
internal static class OrtLibrary
{
    private const string GpuRelativeDirectory = ".deps/ort-gpu";
    private const string LibraryFile = "libonnxruntime.so";
    private static readonly Lazy<string?> Chosen = new(Choose, LazyThreadSafetyMode.ExecutionAndPublication);
    private static int _installed;

    /// <summary>The file chosen by configuration or the GPU rule; null for the package's own CPU build.</summary>
    public static string? ChosenPath => Chosen.Value;

    /// <summary>Installs the resolver (idempotent). Throws <see cref="OrtException"/> when SERVAL_ORT_LIB names no file.</summary>
    public static void Install()
    {
        _ = Chosen.Value;
        if (Interlocked.Exchange(ref _installed, 1) != 0)
        {
            return;
        }

        try
        {
            NativeLibrary.SetDllImportResolver(typeof(Microsoft.ML.OnnxRuntime.OrtEnv).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // A resolver was set already (a host of our host chose the library): it wins.
        }
    }

    /// <summary>The library file that is loaded, read from the process's memory map once it is.</summary>
    public static string LoadedPath()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/maps"))
            {
                int at = line.IndexOf('/');
                string file = at < 0 ? "" : Path.GetFileName(line[at..]);
                if (file == LibraryFile || file.StartsWith(LibraryFile + ".", StringComparison.Ordinal))
                {
                    return line[at..];
                }
            }
        }
        catch (IOException)
        {
            // No /proc: say what was chosen instead.
        }

        return ChosenPath ?? Path.Combine(AppContext.BaseDirectory, LibraryFile);
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == "onnxruntime" && ChosenPath is { } path ? NativeLibrary.Load(path) : IntPtr.Zero;

    private static string? Choose()
    {
        string? configured = Environment.GetEnvironmentVariable("SERVAL_ORT_LIB");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (!File.Exists(configured))
            {
                throw new OrtException(OrtErrorCode.NoSuchFile, $"SERVAL_ORT_LIB points at '{configured}', which does not exist");
            }

            return Path.GetFullPath(configured);
        }

        return HasNvidiaGpu() ? FindGpuBuild() : null;
    }

    private static bool HasNvidiaGpu() =>
        Directory.Exists("/dev") && Directory.EnumerateFiles("/dev", "nvidia*").Any(f => f.Length > "/dev/nvidia".Length && char.IsAsciiDigit(f[^1]));

    private static string? FindGpuBuild()
    {
        string? configured = Environment.GetEnvironmentVariable("SERVAL_ORT_GPU_DIR");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            string file = Path.Combine(configured, LibraryFile);
            return File.Exists(file) ? Path.GetFullPath(file) : null;
        }

        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir != null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, GpuRelativeDirectory, LibraryFile);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
