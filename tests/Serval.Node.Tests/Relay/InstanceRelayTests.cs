using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Serval.Core.Specs;
using Serval.Core.Tensors;
using Serval.Core.Wire;
using Serval.Node.Capacity;
using Serval.Node.Instances;
using Serval.Node.Processes;
using Serval.Node.Relay;
using Serval.Onnx;
using Serval.TestSupport;

namespace Serval.Node.Tests.Relay;

/// <summary>A real instance process (cls) reached over TCP through the node's relay, as a gateway on another machine would.</summary>
public sealed class InstanceRelayTests : IAsyncLifetime
{
    private readonly string _root = Paths.NewTempDir("serval-relay");
    private InstanceSupervisor _supervisor = null!;
    private InstanceRelay _relay = null!;
    private Instance _instance = null!;

    public async Task InitializeAsync()
    {
        var options = new NodeOptions { RunDirectory = Path.Combine(_root, "run"), SocketDirectory = Path.Combine(_root, "s") };
        _supervisor = new InstanceSupervisor(new OsProcessLauncher(TimeProvider.System), options, new NodeCapacity(4, 8192), TimeProvider.System, NullLogger<InstanceSupervisor>.Instance);
        string package = Directory.CreateDirectory(Path.Combine(_root, "package")).FullName;
        File.Copy(Paths.ClsModel, Path.Combine(package, "cls.onnx"));
        _instance = await _supervisor.StartAsync(
            new InstanceConfig
            {
                Function = "cls",
                Version = 1,
                InstanceId = "cls-v1-relay",
                Runtime = RuntimeKind.Onnx,
                PackageDirectory = package,
                SocketPath = Path.Combine(options.SocketDirectory, "cls.sock"),
                Model = "cls.onnx",
            },
            CancellationToken.None);
        _relay = new InstanceRelay(new IPEndPoint(IPAddress.Loopback, 0), id => _supervisor.Instances.FirstOrDefault(i => i.Id == id && i.State == InstanceState.Ready)?.Config.SocketPath, NullLogger.Instance);
    }

    public async Task DisposeAsync()
    {
        await _relay.DisposeAsync();
        await _supervisor.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private Task<InstanceConnection> RemoteAsync(string id = "cls-v1-relay") =>
        RelayClient.ConnectAsync("127.0.0.1", _relay.Endpoint.Port, id, CancellationToken.None);

    [Fact]
    public async Task Invocations_through_the_relay_answer_what_the_local_socket_answers_many_at_once()
    {
        await using InstanceConnection remote = await RemoteAsync();
        NamedTensor[] inputs = Enumerable.Range(0, 16).Select(seed => Random(seed)).ToArray();

        InvokeOutcome[] local = await Task.WhenAll(inputs.Select(input => InvokeAsync(_instance.Connection!, input)));
        InvokeOutcome[] relayed = await Task.WhenAll(inputs.Select(input => InvokeAsync(remote, input)));

        for (int i = 0; i < inputs.Length; i++)
        {
            Assert.Null(relayed[i].Error);
            Assert.True(local[i].Body.Span.SequenceEqual(relayed[i].Body.Span), $"answer {i} differs through the relay");
            local[i].Release();
            relayed[i].Release();
        }
    }

    [Fact]
    public async Task An_unknown_instance_is_refused_by_name()
    {
        var refused = await Assert.ThrowsAsync<IOException>(() => RemoteAsync("nope-v1-x"));
        Assert.Equal($"node 127.0.0.1:{_relay.Endpoint.Port}: no ready instance nope-v1-x on this node", refused.Message);
    }

    [Fact]
    public async Task A_client_that_does_not_speak_the_relay_is_told_what_was_expected()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, _relay.Endpoint.Port);
        await socket.SendAsync(Encoding.UTF8.GetBytes("GET / HTTP/1.1\n"));
        Assert.Equal("ERR expected 'SERVAL-RELAY ID', got 'GET / HTTP/1.1'", await InstanceRelay.ReadLineAsync(socket, CancellationToken.None));
    }

    [Fact]
    public async Task An_instance_killed_breaks_its_remote_connection_and_the_relay_lets_go()
    {
        await using InstanceConnection remote = await RemoteAsync();
        (await InvokeAsync(remote, Random(1))).Release();
        Assert.Equal(1, _relay.Open);

        _instance.Process!.Kill();

        await Eventually.TrueAsync(() => Task.FromResult(remote.IsBroken || remote.ClosedReason is not null), "the remote connection broken", TimeSpan.FromSeconds(10));
        InvokeOutcome after = await InvokeAsync(remote, Random(2));
        Assert.Equal(ErrorKind.InstanceFailed, after.Error?.Kind);
        await Eventually.TrueAsync(() => Task.FromResult(_relay.Open == 0), "the relay closed its side", TimeSpan.FromSeconds(10));
    }

    private static async Task<InvokeOutcome> InvokeAsync(InstanceConnection connection, NamedTensor input)
    {
        ulong id = connection.NextId();
        using WireWriter frame = WireCodec.EncodeInvoke(id, new InferRequest([input], []), 0);
        return await connection.InvokeAsync(id, frame.Complete(), CancellationToken.None);
    }

    private static NamedTensor Random(int seed)
    {
        var random = new Random(seed);
        float[] values = new float[3 * 48 * 192];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return new NamedTensor("x", Tensor.From<float>(values, [1, 3, 48, 192]));
    }
}
