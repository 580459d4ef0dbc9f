using System.Reflection;
using System.Runtime.Loader;

namespace Serval.Instance.Loading;

/// <summary>
/// Loads a published handler and its private dependencies from the package, resolved through its
/// <c>*.deps.json</c>. The SDK's assemblies come from the host, so <c>IFunctionHandler</c>,
/// <c>FunctionContext</c>, <c>Tensor</c>, <c>InferenceSession</c> and <c>ILogger</c> are the same types on both
/// sides. Not collectible: an instance runs one version for its whole life.
/// </summary>
/// <remarks>
/// The bindings of native libraries (ONNX Runtime, SkiaSharp) come from the host too: their native
/// library is then found through the host's <c>deps.json</c> in the host's folder, the version the
/// host was tested with, once per process, whatever RID folders the package holds. A handler built
/// against another version of one gets the host's.
/// </remarks>
internal sealed class FunctionLoadContext : AssemblyLoadContext
{
    /// <summary>Assemblies always taken from the host, whatever copy the package ships.</summary>
    public static readonly IReadOnlySet<string> Shared = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Serval.Sdk",
        "Serval.Core",
        "Serval.Onnx",
        "Microsoft.ML.OnnxRuntime",
        "SkiaSharp",
        "Microsoft.Extensions.Logging.Abstractions",
    };

    private readonly AssemblyDependencyResolver _resolver;
    private readonly string _directory;

    /// <summary>A context for the entry assembly at <paramref name="entryAssemblyPath"/>.</summary>
    public FunctionLoadContext(string entryAssemblyPath)
        : base(Path.GetFileNameWithoutExtension(entryAssemblyPath), isCollectible: false)
    {
        _resolver = new AssemblyDependencyResolver(entryAssemblyPath);
        _directory = Path.GetDirectoryName(Path.GetFullPath(entryAssemblyPath))!;
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is null || Shared.Contains(assemblyName.Name))
        {
            return null;
        }

        // The package's files are links into the blob store, and the resolver may follow the entry
        // assembly's link out of the package; what it cannot place is looked for beside the entry.
        string? path = _resolver.ResolveAssemblyToPath(assemblyName) ?? Beside(assemblyName.Name + ".dll");
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    private string? Beside(string file)
    {
        string path = Path.Combine(_directory, file);
        return File.Exists(path) ? path : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        // As for assemblies: what the resolver cannot place is looked for in the package's own
        // runtimes/<rid>/native folder and beside the entry ("libfoo.so" for "foo" or "libfoo").
        string? path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) ?? NativeInPackage(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }

    private string? NativeInPackage(string name)
    {
        string file = name.EndsWith(".so", StringComparison.Ordinal) || name.Contains(".so.", StringComparison.Ordinal) ? name
            : (name.StartsWith("lib", StringComparison.Ordinal) ? name : "lib" + name) + ".so";
        string native = Path.Combine(_directory, "runtimes", System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier, "native", file);
        return File.Exists(native) ? native : Beside(file);
    }
}
