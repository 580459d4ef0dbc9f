using System.Reflection;
using System.Runtime.Loader;

namespace Serval.Instance.Loading;

/// <summary>
/// Loads a published handler and its private dependencies from the package, resolved through its
/// <c>*.deps.json</c>. The SDK's assemblies come from the host, so <c>IFunctionHandler</c>,
/// <c>FunctionContext</c>, <c>InferenceSession</c> and <c>ILogger</c> are the same types on both
/// sides. Not collectible: an instance runs one version for its whole life.
/// </summary>
internal sealed class FunctionLoadContext : AssemblyLoadContext
{
    /// <summary>Assemblies always taken from the host, whatever copy the package ships.</summary>
    public static readonly IReadOnlySet<string> Shared = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Serval.Sdk",
        "Serval.Onnx",
        "Microsoft.Extensions.Logging.Abstractions",
    };

    private readonly AssemblyDependencyResolver _resolver;

    /// <summary>A context for the entry assembly at <paramref name="entryAssemblyPath"/>.</summary>
    public FunctionLoadContext(string entryAssemblyPath)
        : base(Path.GetFileNameWithoutExtension(entryAssemblyPath), isCollectible: false)
    {
        _resolver = new AssemblyDependencyResolver(entryAssemblyPath);
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is null || Shared.Contains(assemblyName.Name))
        {
            return null;
        }

        string? path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        string? path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
