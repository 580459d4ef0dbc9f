using System.Security.Cryptography;
using Serval.Core.Wire;
using Serval.Instance.Runtimes;
using Serval.Instance.Tests.Support;
using Serval.Core.Tensors;
using Serval.Onnx;
using Serval.TestSupport;

namespace Serval.Instance.Tests.Hosting;

/// <summary>Start, check, failure and stop of real instance processes (cls: the smallest model).</summary>
public sealed class LifecycleTests
{
    [Fact]
    public async Task Sigterm_Idle_ExitsZeroAndRemovesSocket()
    {
        await using InstanceProcess instance = await InstanceProcess.StartReadyAsync(Packages.Onnx(Paths.ClsModel));
        Assert.True(File.Exists(instance.Config.SocketPath));

        instance.Signal(InstanceProcess.SigTerm);

        Assert.Equal(0, await instance.WaitForExitAsync());
        Assert.False(File.Exists(instance.Config.SocketPath));
        Assert.Contains("stopping (SIGTERM)", instance.Stderr);
    }

    [Fact]
    public async Task Sigterm_InferenceInFlight_AnswersItThenExitsZero()
    {
        await using InstanceProcess instance = await InstanceProcess.StartReadyAsync(Packages.Onnx(Paths.RecModel));
        await using InstanceClient client = await instance.ConnectAsync();
        Assert.Single((await client.InferAsync([Inputs.Rec(2400)])).Tensors());
        instance.Process.Refresh();
        TimeSpan idle = instance.Process.TotalProcessorTime;
        Task<Reply> reply = client.InferAsync([Inputs.Rec(2400)]);

        // In flight: the instance is computing it, not merely sent. After a first run (its JIT and
        // allocations done), reading the input costs about a millisecond, so 50 ms of CPU is ORT's.
        await Eventually.TrueAsync(
            () =>
            {
                instance.Process.Refresh();
                return Task.FromResult(reply.IsCompleted || instance.Process.TotalProcessorTime - idle > TimeSpan.FromMilliseconds(50));
            },
            "the instance computing the inference", TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(5));
        Assert.False(reply.IsCompleted, "the inference ended before SIGTERM could be sent: make the input larger");

        instance.Signal(InstanceProcess.SigTerm);

        NamedTensor output = Assert.Single((await reply).Tensors());
        Assert.Equal([1L, 300, 6625], output.Tensor.Shape);
        Assert.Equal(0, await instance.WaitForExitAsync());
        Assert.False(File.Exists(instance.Config.SocketPath));
    }

    [Fact]
    public async Task Start_CorruptModel_PrintsFailedWithOrtMessageAndExitsOne()
    {
        InstanceConfig config = Packages.Onnx(Paths.ClsModel);
        await File.WriteAllBytesAsync(Path.Combine(config.PackageDirectory, config.Model!), "this is not a protobuf"u8.ToArray());

        await using InstanceProcess instance = await InstanceProcess.StartAsync(config);

        Assert.StartsWith($"SERVAL-FAILED cannot load model '{config.Model}': ", instance.FirstLine);
        Assert.Contains("Protobuf parsing failed", instance.FirstLine);
        Assert.Equal(1, await instance.WaitForExitAsync());
        Assert.False(File.Exists(instance.Config.SocketPath));
    }

    [Fact]
    public async Task Start_MissingModel_PrintsFailedAndExitsOne()
    {
        InstanceConfig config = Packages.Onnx(Paths.ClsModel) with { Model = "models/absent.onnx" };

        await using InstanceProcess instance = await InstanceProcess.StartAsync(config);

        Assert.StartsWith("SERVAL-FAILED cannot load model 'models/absent.onnx': ", instance.FirstLine);
        Assert.Contains("does not exist", instance.FirstLine);
        Assert.Equal(1, await instance.WaitForExitAsync());
    }

    [Fact]
    public async Task Check_GpuWithCpuOnlyOrt_FailsPointingAtServalOrtLib()
    {
        // The CPU build that Microsoft.ML.OnnxRuntime puts beside the host, named even on a GPU machine.
        string cpuOnly = Path.Combine(Path.GetDirectoryName(InstanceProcess.Dll)!, "runtimes/linux-x64/native/libonnxruntime.so");
        InstanceConfig config = Packages.Onnx(Paths.ClsModel) with { Gpu = true };

        await using InstanceProcess instance = await InstanceProcess.StartAsync(config, new Dictionary<string, string> { ["SERVAL_ORT_LIB"] = cpuOnly }, "--check");

        Assert.StartsWith($"SERVAL-FAILED cannot load model '{config.Model}': the CUDA execution provider cannot be used", instance.FirstLine);
        Assert.Contains("SERVAL_ORT_LIB", instance.FirstLine);
        Assert.Equal(1, await instance.WaitForExitAsync());
    }

    [Fact]
    public async Task Check_ValidModel_PrintsReadyExitsZeroWithoutSocket()
    {
        await using InstanceProcess instance = await InstanceProcess.StartAsync(Packages.Onnx(Paths.ClsModel), "--check");

        Assert.True(instance.IsReady, instance.FirstLine);
        Assert.Equal([-1L, 2], Assert.Single(instance.Report.Outputs).Shape);
        Assert.Equal(0, await instance.WaitForExitAsync());
        Assert.False(File.Exists(instance.Config.SocketPath));
    }

    [Fact]
    public async Task Check_CorruptModel_PrintsFailedExitsOne()
    {
        InstanceConfig config = Packages.Onnx(Paths.ClsModel);
        await File.WriteAllBytesAsync(Path.Combine(config.PackageDirectory, config.Model!), new byte[100]);

        await using InstanceProcess instance = await InstanceProcess.StartAsync(config, "--check");

        Assert.StartsWith(ReadyReport.FailedPrefix, instance.FirstLine);
        Assert.Equal(1, await instance.WaitForExitAsync());
    }

    [Fact]
    public async Task Start_StaleSocketFile_ReplacesIt()
    {
        InstanceConfig config = Packages.Onnx(Paths.ClsModel);
        await File.WriteAllTextAsync(config.SocketPath, "left over by a crashed instance");

        await using InstanceProcess instance = await InstanceProcess.StartReadyAsync(config);
        await using InstanceClient client = await instance.ConnectAsync();

        NamedTensor output = Assert.Single((await client.InferAsync([Inputs.Random("x", [1, 3, 48, 192], seed: 3)])).Tensors());
        Assert.Equal([1L, 2], output.Tensor.Shape);
    }

    [Fact]
    public async Task Stdin_ClosedWithExitOnStdinEof_ExitsZero()
    {
        await using InstanceProcess instance = await InstanceProcess.StartReadyAsync(Packages.Onnx(Paths.ClsModel));

        instance.Process.StandardInput.Close();

        Assert.Equal(0, await instance.WaitForExitAsync());
        Assert.Contains("stopping (stdin closed)", instance.Stderr);
        Assert.False(File.Exists(instance.Config.SocketPath));
    }

    [Fact]
    public async Task Start_GraphCache_SecondStartLoadsCachedGraphWithSameResults()
    {
        string cache = Paths.NewTempDir("serval-cache");
        try
        {
            NamedTensor input = Inputs.Rec(160);
            using var session = new InferenceSession(Paths.RecModel);
            byte[] expected = Assert.Single(session.Run([input])).Tensor.Data.ToArray();

            await using (InstanceProcess first = await InstanceProcess.StartAsync(Packages.Onnx(Paths.RecModel, graphCache: cache), "--check"))
            {
                Assert.Equal(0, await first.WaitForExitAsync());
            }

            string cached = Path.Combine(cache, SessionLoader.CacheFileName(Paths.RecModel, ExecutionDevice.Cpu));
            Assert.True(File.Exists(cached));
            Assert.Equal([cached], Directory.GetFiles(cache));

            await using InstanceProcess second = await InstanceProcess.StartReadyAsync(Packages.Onnx(Paths.RecModel, graphCache: cache));
            await using InstanceClient client = await second.ConnectAsync();
            NamedTensor output = Assert.Single((await client.InferAsync([input])).Tensors());
            Assert.True(expected.AsSpan().SequenceEqual(output.Tensor.Data.Span), "the cached graph computes different outputs");
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    [Fact]
    public async Task Start_CorruptGraphCacheEntry_FallsBackToModelAndRewritesIt()
    {
        string cache = Paths.NewTempDir("serval-cache");
        try
        {
            string cached = Path.Combine(cache, SessionLoader.CacheFileName(Paths.ClsModel, ExecutionDevice.Cpu));
            await File.WriteAllTextAsync(cached, "truncated");

            await using InstanceProcess instance = await InstanceProcess.StartAsync(Packages.Onnx(Paths.ClsModel, graphCache: cache), "--check");

            Assert.True(instance.IsReady, instance.FirstLine);
            Assert.Equal(0, await instance.WaitForExitAsync());
            Assert.Contains("cannot be loaded, using the original model", instance.Stderr);
            Assert.True(new FileInfo(cached).Length > 1000);
        }
        finally
        {
            Directory.Delete(cache, recursive: true);
        }
    }

    [Fact]
    public async Task Start_GraphCachePackagesLinkingOneBlob_ShareOneEntry()
    {
        // As the node agent lays packages out: files are links to a blob named by its sha256.
        string root = Paths.NewTempDir("serval-cache");
        try
        {
            string digest = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(Paths.ClsModel)));
            string blob = Path.Combine(root, "blobs", digest[..2], digest[2..]);
            Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
            File.Copy(Paths.ClsModel, blob);
            string cache = Path.Combine(root, "graphs");
            InstanceConfig Linked(string version, string file)
            {
                InstanceConfig config = Packages.Onnx(Paths.ClsModel, graphCache: cache, directory: Directory.CreateDirectory(Path.Combine(root, version)).FullName);
                File.Delete(Path.Combine(config.PackageDirectory, config.Model!));
                File.CreateSymbolicLink(Path.Combine(config.PackageDirectory, file), blob);
                return config with { Model = file };
            }

            await using (InstanceProcess check = await InstanceProcess.StartAsync(Linked("v0", "cls.onnx"), "--check"))
            {
                Assert.Equal(0, await check.WaitForExitAsync());
            }

            string entry = Assert.Single(Directory.GetFiles(cache));
            Assert.Equal($"{digest[2..]}.ort{OrtEnvironment.Version}.opt.onnx", Path.GetFileName(entry));
            DateTime written = File.GetLastWriteTimeUtc(entry);

            await using InstanceProcess later = await InstanceProcess.StartReadyAsync(Linked("v7", "angle.onnx"));

            Assert.Equal([entry], Directory.GetFiles(cache));
            Assert.Equal(written, File.GetLastWriteTimeUtc(entry));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
