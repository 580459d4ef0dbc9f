using System.Reflection;
using Serval.Instance.Runtimes;
using Serval.Sdk;

namespace Serval.Instance.Loading;

/// <summary>
/// Finds a <c>dotnet</c> function's entry assembly in its package (the <c>dotnet publish</c> output),
/// loads it in a <see cref="FunctionLoadContext"/> and creates the handler.
/// </summary>
internal static class HandlerLoader
{
    /// <summary>The entry assembly: the one whose <c>*.deps.json</c> is in the package root (exactly one).</summary>
    /// <exception cref="InstanceLoadException">There is none, more than one, or its dll is missing.</exception>
    public static string FindEntryAssembly(string packageDirectory)
    {
        string[] deps = Directory.Exists(packageDirectory) ? Directory.GetFiles(packageDirectory, "*.deps.json") : [];
        if (deps.Length == 0)
        {
            throw new InstanceLoadException($"the package '{packageDirectory}' has no *.deps.json in its root; a dotnet function is deployed as the output of 'dotnet publish'");
        }

        if (deps.Length > 1)
        {
            Array.Sort(deps, StringComparer.Ordinal);
            throw new InstanceLoadException(
                $"the package has {deps.Length} *.deps.json files in its root ({string.Join(", ", deps.Select(Path.GetFileName))}); it must hold exactly one published entry assembly");
        }

        string dll = deps[0][..^".deps.json".Length] + ".dll";
        if (!File.Exists(dll))
        {
            throw new InstanceLoadException($"'{Path.GetFileName(deps[0])}' has no '{Path.GetFileName(dll)}' beside it");
        }

        return dll;
    }

    /// <summary>Loads the package's entry assembly and creates <paramref name="handlerType"/> with <paramref name="context"/>.</summary>
    /// <exception cref="InstanceLoadException">The assembly or type cannot be loaded, is not a handler, or its constructor fails.</exception>
    public static IFunctionHandler Create(string packageDirectory, string? handlerType, FunctionContext context)
    {
        if (string.IsNullOrWhiteSpace(handlerType))
        {
            throw new InstanceLoadException("the dotnet runtime needs a handler class, and the config names none");
        }

        string dll = FindEntryAssembly(packageDirectory);
        Type type = FindType(dll, handlerType);
        if (!typeof(IFunctionHandler).IsAssignableFrom(type))
        {
            throw new InstanceLoadException($"'{handlerType}' does not implement {typeof(IFunctionHandler).FullName}");
        }

        if (type.IsAbstract)
        {
            throw new InstanceLoadException($"'{handlerType}' is abstract and cannot be created");
        }

        ConstructorInfo? withContext = type.GetConstructor([typeof(FunctionContext)]);
        ConstructorInfo? parameterless = type.GetConstructor(Type.EmptyTypes);
        if (withContext is null && parameterless is null)
        {
            throw new InstanceLoadException($"'{handlerType}' needs a public constructor taking a {nameof(FunctionContext)}, or none");
        }

        try
        {
            object handler = withContext is not null ? withContext.Invoke([context]) : parameterless!.Invoke([]);
            return (IFunctionHandler)handler;
        }
        catch (TargetInvocationException e) when (e.InnerException is { } inner)
        {
            throw new InstanceLoadException($"the constructor of '{handlerType}' failed: {inner.GetType().FullName}: {inner.Message}", inner);
        }
    }

    private static Type FindType(string dll, string handlerType)
    {
        Assembly assembly;
        try
        {
            assembly = new FunctionLoadContext(dll).LoadFromAssemblyPath(dll);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException)
        {
            throw new InstanceLoadException($"cannot load '{Path.GetFileName(dll)}': {e.Message}", e);
        }

        Type? type;
        try
        {
            type = assembly.GetType(handlerType, throwOnError: false);
        }
        catch (Exception e) when (e is TypeLoadException or FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            throw new InstanceLoadException($"cannot load '{handlerType}' from '{Path.GetFileName(dll)}': {e.Message}", e);
        }

        return type ?? throw new InstanceLoadException($"'{Path.GetFileName(dll)}' has no type '{handlerType}'{Hint(assembly)}");
    }

    private static string Hint(Assembly assembly)
    {
        try
        {
            string[] handlers = assembly.GetExportedTypes()
                .Where(t => typeof(IFunctionHandler).IsAssignableFrom(t) && !t.IsAbstract)
                .Select(t => t.FullName ?? t.Name)
                .Order(StringComparer.Ordinal)
                .ToArray();
            return handlers.Length == 0 ? "; it has no public IFunctionHandler class" : $"; its handler classes are {string.Join(", ", handlers)}";
        }
        catch (Exception e) when (e is TypeLoadException or FileNotFoundException or FileLoadException or ReflectionTypeLoadException)
        {
            return "";
        }
    }
}
