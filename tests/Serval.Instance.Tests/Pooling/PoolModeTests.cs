using System.Net.Sockets;
using Serval.Core.Wire;
using Serval.Instance.Pooling;
using Serval.Instance.Tests.Support;
using Serval.Core.Tensors;
using Serval.Onnx;
using Serval.TestSupport;
using Serval.TestSupport.Onnx;

namespace Serval.Instance.Tests.Pooling;

/// <summary>Real <c>--pool</c> processes: wait, take an assignment, serve it like any instance.</summary>
public sealed class PoolModeTests
{
    [Fact]
    public async Task Assign_RecConfig_ReadyAndBitIdenticalToInProcessRun()
    {
        await using PoolProcess pool = await PoolProcess.StartPooledAsync();
        InstanceConfig config = Packages.Onnx(Paths.RecModel, directory: pool.Directory);
        NamedTensor input = Inputs.Rec(320);
        using var session = new InferenceSession(Paths.RecModel);
        NamedTensor expected = Assert.Single(session.Run([input]));

        var (report, client) = await pool.AssignAsync(config);
        await using (client)
        {
            Assert.True(report.Pooled);
            Assert.Equal([-1L, 3, 48, -1], Assert.Single(report.Inputs).Shape);
            Assert.True(report.StartMs >= report.LoadMs && report.LoadMs > 0, report.ToString());
            NamedTensor actual = Assert.Single((await client.InferAsync([input])).Tensors());
            Assert.Equal([1L, 40, 6625], actual.Tensor.Shape);
            Assert.True(expected.Tensor.Data.Span.SequenceEqual(actual.Tensor.Data.Span), "the outputs differ");
        }

        // The instance also serves later connections on the pool's socket path.
        await using InstanceClient second = await InstanceClient.ConnectAsync(pool.SocketPath);
        NamedTensor later = Assert.Single((await second.InferAsync([Inputs.Rec(64)])).Tensors());
        Assert.Equal([1L, 8, 6625], later.Tensor.Shape);
    }

    [Fact]
    public async Task StdinClosed_WhileWaiting_ExitsZeroAndRemovesSocket()
    {
        await using PoolProcess pool = await PoolProcess.StartPooledAsync();
        Assert.True(File.Exists(pool.SocketPath));

        pool.Process.StandardInput.Close();

        Assert.Equal(0, await pool.WaitForExitAsync());
        Assert.False(File.Exists(pool.SocketPath));
        Assert.Contains("waiting for an assignment", pool.Stderr);
    }

    [Fact]
    public async Task StdinClosed_AfterAssignment_StopsTheInstance()
    {
        await using PoolProcess pool = await PoolProcess.StartPooledAsync();
        var (_, client) = await pool.AssignAsync(Packages.Onnx(Paths.ClsModel, directory: pool.Directory));
        await using (client)
        {
            pool.Process.StandardInput.Close();

            Assert.Equal(0, await pool.WaitForExitAsync());
        }

        Assert.Contains("stopping (stdin closed)", pool.Stderr);
        Assert.False(File.Exists(pool.SocketPath));
    }

    [Fact]
    public async Task Assign_NotAConfig_FailsWithExitCodeOne()
    {
        await using PoolProcess pool = await PoolProcess.StartPooledAsync();
        var frame = new WireWriter(FrameKind.Assign, 0);
        frame.WriteBytes("{\"function\": 3"u8);

        using Socket socket = await pool.SendAsync(frame);

        string line = await pool.NextLineAsync();
        Assert.StartsWith(ReadyReport.FailedPrefix + "the assignment is not an instance config", line);
        Assert.Equal(1, await pool.WaitForExitAsync());
    }

    [Fact]
    public async Task Assign_MissingModel_FailsLikeAFreshStart()
    {
        await using PoolProcess pool = await PoolProcess.StartPooledAsync();
        InstanceConfig config = Packages.Onnx(Paths.ClsModel, directory: pool.Directory) with { Model = "missing.onnx" };

        using Socket socket = await pool.SendAsync(WireCodec.EncodeAssign(config));

        string line = await pool.NextLineAsync();
        Assert.StartsWith(ReadyReport.FailedPrefix + "cannot load model 'missing.onnx'", line);
        Assert.Equal(1, await pool.WaitForExitAsync());
    }

    [Fact]
    public async Task InvokeBeforeAssignment_ConnectionClosedAndPoolKeepsWaiting()
    {
        await using PoolProcess pool = await PoolProcess.StartPooledAsync();
        using (Socket stray = await pool.SendAsync(WireCodec.EncodeInvoke(1, new InferRequest([Inputs.Rec(32)], []), 0)))
        {
            Assert.True(await ClosedByPeerAsync(stray));
        }

        var (report, client) = await pool.AssignAsync(Packages.Onnx(Paths.ClsModel, directory: pool.Directory));
        await using (client)
        {
            Assert.True(report.Pooled);
        }

        Assert.Contains("the first frame must be Assign, not Invoke", pool.Stderr);
    }

    [Fact]
    public void RehearsalModel_File_IsTheModelOnnxModelsBuilds()
    {
        byte[] expected = OnnxModels.Build(
            "rehearsal",
            [new OnnxNode("Conv", ["x", "w"], ["y"])],
            [new OnnxValue("x", TensorElementType.Float, [1, 1, 8, 8]), new OnnxValue("w", TensorElementType.Float, [1, 1, 3, 3])],
            [new OnnxValue("y", TensorElementType.Float, [1, 1, 6, 6])]);

        Assert.Equal(expected, File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, Rehearsal.ModelFile)));
    }

    /// <summary>True once the peer closed the connection: end of stream, or a reset when it closed without reading what was sent.</summary>
    private static async Task<bool> ClosedByPeerAsync(Socket socket)
    {
        try
        {
            return await socket.ReceiveAsync(new byte[16], SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(10)) == 0;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
    }
}
