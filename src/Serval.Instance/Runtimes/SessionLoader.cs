using Microsoft.Extensions.Logging;
using Serval.Core.Wire;
using Serval.Instance.Logging;
using Serval.Onnx;

namespace Serval.Instance.Runtimes;

/// <summary>
/// Creates the ONNX Runtime sessions of a function, with the graph cache: when the config names a
/// cache folder, the first load asks ORT to save its optimised graph there as
/// <c>&lt;content digest&gt;.ort&lt;version&gt;.opt.onnx</c> (<c>.cuda.opt.onnx</c> on the GPU: the graphs
/// differ), and later loads read that file instead of the original, with optimisation off since it
/// is done (rec: session creation about 280 → 150 ms here). Keyed by the model's content, one entry
/// serves every version holding that model and the deploy check, which thus warms it for them all.
/// The folder belongs to one node: an optimised graph may use that machine's instruction set.
/// </summary>
internal static class SessionLoader
{
    /// <summary>Loads <paramref name="model"/> (relative to the package); ORT's message is kept in the failure.</summary>
    /// <exception cref="InstanceLoadException">The model cannot be loaded.</exception>
    public static InferenceSession Load(InstanceConfig config, string model, ILogger logger)
    {
        string path = Path.GetFullPath(Path.Combine(config.PackageDirectory, model));
        var options = new SessionOptions
        {
            IntraOpThreads = config.IntraOpThreads,
            Device = config.Gpu ? ExecutionDevice.Cuda : ExecutionDevice.Cpu,
        };

        try
        {
            return config.GraphCacheDirectory is { } cache ? LoadCached(path, Path.GetFullPath(cache), options, logger) : new InferenceSession(path, options);
        }
        catch (OrtException e)
        {
            throw new InstanceLoadException($"cannot load model '{model}': {e.Message}", e);
        }
    }

    /// <summary>
    /// The cache entry's file name for the model at <paramref name="path"/>: its content key, the ORT
    /// version (a newer ORT may optimise differently) and the device.
    /// </summary>
    /// <exception cref="IOException">The model cannot be read.</exception>
    public static string CacheFileName(string path, ExecutionDevice device) =>
        $"{ContentKey(path)}.ort{OrtEnvironment.Version}{(device == ExecutionDevice.Cuda ? ".cuda.opt.onnx" : ".opt.onnx")}";

    /// <summary>
    /// A name for the model's content. A package file laid out by the node agent is a symbolic link to
    /// a content-addressed blob named by its sha256, so the link target's name is the key and costs
    /// nothing; any other file (a package used in place) is hashed, about 5 ms per 10 MB.
    /// </summary>
    /// <exception cref="IOException">The model cannot be read.</exception>
    public static string ContentKey(string path)
    {
        if (File.ResolveLinkTarget(path, returnFinalTarget: true) is { } target && IsDigest(target.Name))
        {
            return target.Name;
        }

        using FileStream stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
    }

    /// <summary>At least 128 bits of lower-case hex: a digest, not a user's file name.</summary>
    private static bool IsDigest(string name) => name.Length >= 32 && name.All(char.IsAsciiHexDigitLower);

    private static InferenceSession LoadCached(string path, string cache, SessionOptions options, ILogger logger)
    {
        string cached;
        try
        {
            cached = Path.Combine(cache, CacheFileName(path, options.Device));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The model cannot be read: ORT's own message about it is the one to report.
            return new InferenceSession(path, options);
        }

        if (File.Exists(cached))
        {
            try
            {
                return new InferenceSession(cached, options with { GraphOptimizationLevel = 0 });
            }
            catch (OrtException e)
            {
                // A cache entry written by an older ORT or truncated by a crash: rebuild it from the original.
                Log.GraphCacheUnusable(logger, cached, e.Message);
            }
        }

        // ORT writes the file while it creates the session; a private name and a rename keep a
        // concurrent instance from ever reading a half-written file.
        string temporary = $"{cached}.{Environment.ProcessId}.tmp";
        try
        {
            Directory.CreateDirectory(cache);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.GraphCacheNotStored(logger, cached, e.Message);
            return new InferenceSession(path, options);
        }

        InferenceSession session = new(path, options with { OptimizedModelPath = temporary });
        try
        {
            File.Move(temporary, cached, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.GraphCacheNotStored(logger, cached, e.Message);
            TryDelete(temporary);
        }

        return session;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing more to do: a stray temporary file is harmless.
        }
    }
}
