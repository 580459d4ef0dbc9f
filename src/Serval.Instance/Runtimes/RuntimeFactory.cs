using Microsoft.Extensions.Logging;
using Serval.Core.Specs;
using Serval.Core.Wire;

namespace Serval.Instance.Runtimes;

/// <summary>Creates the runtime an <see cref="InstanceConfig"/> names.</summary>
internal static class RuntimeFactory
{
    /// <summary>
    /// Sets the spec's <c>env</c> in this process (an instance taken from the warm pool was started
    /// before its function was known, so the variables are set here rather than at launch), then loads.
    /// </summary>
    /// <exception cref="InstanceLoadException">The function cannot be loaded.</exception>
    public static IRuntime Load(InstanceConfig config, ILogger hostLogger, ILogger functionLogger)
    {
        foreach (var (name, value) in config.Env)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        return Create(config, hostLogger, functionLogger);
    }

    private static IRuntime Create(InstanceConfig config, ILogger hostLogger, ILogger functionLogger) => config.Runtime switch
    {
        RuntimeKind.Onnx => OnnxRuntime.Load(config, hostLogger),
        RuntimeKind.Dotnet => DotnetRuntime.Load(config, hostLogger, functionLogger),
        _ => throw new InstanceLoadException($"runtime '{config.Runtime}' is not supported by this instance host"),
    };
}
