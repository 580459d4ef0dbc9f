using Microsoft.Extensions.Logging;
using Serval.Core.Wire;
using Serval.Instance.Logging;
using Serval.Onnx;

namespace Serval.Instance.Runtimes;

/// <summary>
/// Creates the ONNX Runtime sessions of a function, with the graph cache: when the config names a
/// cache folder, the first load asks ORT to save its optimised graph there as
/// <c>&lt;model file&gt;.opt.onnx</c> (<c>.cuda.opt.onnx</c> on the GPU: the graphs differ), and
/// later loads read that file instead of the original, with optimisation off since it is done
/// (rec: session creation about 280 → 150 ms here). The cache folder belongs to one version on one node.
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

    private static InferenceSession LoadCached(string path, string cache, SessionOptions options, ILogger logger)
    {
        string suffix = options.Device == ExecutionDevice.Cuda ? ".cuda.opt.onnx" : ".opt.onnx";
        string cached = Path.Combine(cache, Path.GetFileName(path) + suffix);
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
