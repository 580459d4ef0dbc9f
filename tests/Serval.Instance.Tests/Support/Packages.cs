using Serval.Core.Specs;
using Serval.Core.Wire;
using Serval.TestSupport;

namespace Serval.Instance.Tests.Support;

/// <summary>Function packages and configs in temp folders.</summary>
internal static class Packages
{
    /// <summary>A package folder holding a copy of <paramref name="model"/>, and an onnx config for it (in a new temp folder unless <paramref name="directory"/> is given).</summary>
    public static InstanceConfig Onnx(string model, int concurrency = 4, string? graphCache = null, string? directory = null)
    {
        string dir = directory ?? Paths.NewTempDir("serval-inst");
        string package = Path.Combine(dir, "package");
        Directory.CreateDirectory(package);
        File.Copy(model, Path.Combine(package, Path.GetFileName(model)));
        return new InstanceConfig
        {
            Function = "ocr-test",
            Version = 1,
            InstanceId = "i-" + Path.GetFileName(dir),
            Runtime = RuntimeKind.Onnx,
            PackageDirectory = package,
            SocketPath = Path.Combine(dir, "instance.sock"),
            Model = Path.GetFileName(model),
            Concurrency = concurrency,
            GraphCacheDirectory = graphCache,
        };
    }

    /// <summary>A dotnet config for a published package (the package folder is used in place).</summary>
    public static InstanceConfig Dotnet(string package, string handler, int concurrency = 4, Dictionary<string, string>? models = null)
    {
        string dir = Paths.NewTempDir("serval-inst");
        return new InstanceConfig
        {
            Function = "hello-dotnet",
            Version = 3,
            InstanceId = "i-" + Path.GetFileName(dir),
            Runtime = RuntimeKind.Dotnet,
            PackageDirectory = package,
            SocketPath = Path.Combine(dir, "instance.sock"),
            Handler = handler,
            Models = models ?? [],
            Concurrency = concurrency,
        };
    }
}
