using Microsoft.Extensions.Logging;
using Serval.Onnx;

namespace Serval.Sdk;

/// <summary>What the instance gives a handler: its identity, a logger and the models its spec declares.</summary>
public sealed class FunctionContext
{
    /// <summary>Creates a context.</summary>
    public FunctionContext(string functionName, int version, ILogger logger, IReadOnlyDictionary<string, InferenceSession> models, string packageDirectory)
    {
        FunctionName = functionName;
        Version = version;
        Logger = logger;
        Models = models;
        PackageDirectory = packageDirectory;
    }

    /// <summary>The function's name.</summary>
    public string FunctionName { get; }

    /// <summary>The version this instance runs.</summary>
    public int Version { get; }

    /// <summary>A logger whose lines the platform keeps with the instance.</summary>
    public ILogger Logger { get; }

    /// <summary>The ONNX sessions of <c>models</c> in the spec, by name, loaded and warmed up before the first invocation.</summary>
    public IReadOnlyDictionary<string, InferenceSession> Models { get; }

    /// <summary>The folder holding the deployed package (for data files shipped beside the code).</summary>
    public string PackageDirectory { get; }
}
