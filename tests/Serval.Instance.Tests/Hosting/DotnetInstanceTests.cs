using System.Text;
using System.Text.Json;
using Serval.Core.Wire;
using Serval.Instance.Tests.Support;
using Serval.Core.Tensors;
using Serval.Onnx;
using Serval.TestSupport;

namespace Serval.Instance.Tests.Hosting;

/// <summary>The dotnet runtime in real processes, on published packages: the hello-dotnet example and test handlers.</summary>
public sealed class DotnetInstanceTests(PackagesFixture packages) : IClassFixture<PackagesFixture>
{
    private const string Probe = "Serval.Instance.TestHandlers.Probe";

    private InstanceConfig Hello(int concurrency = 4) =>
        Packages.Dotnet(packages.Hello, "HelloDotnet.Handler", concurrency, new() { ["cls"] = "ch_ppocr_mobile_v2.0_cls_infer.onnx" });

    [Fact]
    public async Task Raw_HelloEmptyRoute_EchoesGreeting()
    {
        await using InstanceProcess instance = await InstanceProcess.StartReadyAsync(Hello());
        await using InstanceClient client = await instance.ConnectAsync();

        RawResponse response = (await client.RawAsync("", "world")).Raw();

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("application/json", response.ContentType);
        Assert.Equal("""{"hello":"world","function":"hello-dotnet","version":3}""", Encoding.UTF8.GetString(response.Body.Span));
        Assert.Empty(instance.Report.Inputs);
    }

    [Fact]
    public async Task Raw_HelloPredict_AnswersClsProbabilitiesOfInProcessRun()
    {
        NamedTensor image = Inputs.Random("x", [1, 3, 48, 192], seed: 11);
        using var session = new InferenceSession(Paths.ClsModel);
        float[] expected = Assert.Single(session.Run([image])).Tensor.AsSpan<float>().ToArray();
        string body = JsonSerializer.Serialize(new { jsonData = Convert.ToBase64String(image.Tensor.Data.Span) });
        await using InstanceProcess instance = await InstanceProcess.StartReadyAsync(Hello());
        await using InstanceClient client = await instance.ConnectAsync();

        RawResponse response = (await client.RawAsync("predict", body, 0, new KeyValuePair<string, string>("x-request-id", "req-42"))).Raw();

        Assert.Equal(200, response.StatusCode);
        using JsonDocument json = JsonDocument.Parse(response.Body);
        JsonElement root = json.RootElement;
        Assert.Equal(0, root.GetProperty("code").GetInt32());
        Assert.Equal("req-42", root.GetProperty("request_id").GetString());
        Assert.Equal(JsonValueKind.Object, root.GetProperty("data").GetProperty("msg").ValueKind);
        float[] actual = root.GetProperty("data").GetProperty("ndarray")[0].EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Raw_HelloPredictWrongSize_AnswersBadRequest()
    {
        await using InstanceProcess instance = await InstanceProcess.StartReadyAsync(Hello());
        await using InstanceClient client = await instance.ConnectAsync();

        RawResponse response = (await client.RawAsync("predict", """{"jsonData": "AAAA"}""")).Raw();

        Assert.Equal(400, response.StatusCode);
        using JsonDocument json = JsonDocument.Parse(response.Body);
        Assert.Equal("jsonData must hold 3*48*192 float32 values (110592 bytes), got 3 bytes", json.RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Infer_OnDotnet_BadInputPointsAtRawRoutes()
    {
        await using InstanceProcess instance = await InstanceProcess.StartReadyAsync(Packages.Dotnet(packages.Handlers, Probe));
        await using InstanceClient client = await instance.ConnectAsync();

        InvokeError error = (await client.InferAsync([Inputs.Rec(32)])).Error();

        Assert.Equal(ErrorKind.BadInput, error.Kind);
        Assert.Contains("takes raw requests", error.Message);
    }

    [Fact]
    public async Task Raw_HandlerThrows_FunctionErrorWithExceptionTypeAndLog()
    {
        await using InstanceProcess instance = await InstanceProcess.StartReadyAsync(Packages.Dotnet(packages.Handlers, Probe));
        await using InstanceClient client = await instance.ConnectAsync();

        InvokeError error = (await client.RawAsync("throw", "")).Error();

        Assert.Equal(new InvokeError(ErrorKind.FunctionError, "System.InvalidOperationException: the handler failed on purpose"), error);
        Assert.Contains("the handler failed on purpose", instance.Stderr);
    }

    [Fact]
    public async Task Raw_RequestIdAndHeaders_ReachHandlerAndItsLogger()
    {
        await using InstanceProcess instance = await InstanceProcess.StartReadyAsync(Packages.Dotnet(packages.Handlers, Probe));
        await using InstanceClient client = await instance.ConnectAsync();

        RawResponse response = (await client.RawAsync("whoami", "", 0, new("X-Request-Id", "abc-1"), new("x-tenant", "acme"))).Raw();
        using JsonDocument json = JsonDocument.Parse(response.Body);
        ulong id = client.NextId();
        RawResponse withoutHeader = (await client.SendAsync(WireCodec.EncodeInvoke(id, new RawRequest("whoami", "text/plain", [], Array.Empty<byte>()), 0))).Raw();
        using JsonDocument json2 = JsonDocument.Parse(withoutHeader.Body);

        Assert.Equal("abc-1", json.RootElement.GetProperty("requestId").GetString());
        Assert.Equal("acme", json.RootElement.GetProperty("headers").GetProperty("x-tenant").GetString());
        Assert.Equal(packages.Handlers, json.RootElement.GetProperty("packageDirectory").GetString());
        Assert.Equal(id.ToString(), json2.RootElement.GetProperty("requestId").GetString());
        Assert.Contains("info hello-dotnet: whoami for abc-1", instance.Stderr);
    }

    [Fact]
    public async Task Raw_MoreThanConcurrency_AtMostConcurrencyRunAtOnce()
    {
        await using InstanceProcess instance = await InstanceProcess.StartReadyAsync(Packages.Dotnet(packages.Handlers, Probe, concurrency: 2));
        await using InstanceClient client = await instance.ConnectAsync();

        Task<Reply>[] replies = Enumerable.Range(0, 6).Select(_ => client.RawAsync("sleep", "100")).ToArray();
        Reply[] answers = await Task.WhenAll(replies);
        RawResponse stats = (await client.RawAsync("stats", "")).Raw();

        foreach (Reply answer in answers)
        {
            Assert.StartsWith("slept 100 ms for ", Encoding.UTF8.GetString(answer.Raw().Body.Span));
        }

        Assert.Equal("""{"maxRunning":2}""", Encoding.UTF8.GetString(stats.Body.Span));
    }

    [Fact]
    public async Task Raw_HandlerPastTimeout_AnswersTimeoutWhetherOrNotItHonoursTheToken()
    {
        await using InstanceProcess instance = await InstanceProcess.StartReadyAsync(Packages.Dotnet(packages.Handlers, Probe));
        await using InstanceClient client = await instance.ConnectAsync();

        Task<Reply> polite = client.RawAsync("sleep", "10000", timeoutMs: 100);
        Task<Reply> stubborn = client.RawAsync("stubborn", "3000", timeoutMs: 100);
        InvokeError politeError = (await polite).Error();
        InvokeError stubbornError = (await stubborn.WaitAsync(TimeSpan.FromSeconds(2))).Error();

        Assert.Equal(new InvokeError(ErrorKind.Timeout, "the invocation ran past its timeout of 100 ms"), politeError);
        Assert.Equal(ErrorKind.Timeout, stubbornError.Kind);
    }

    [Fact]
    public async Task Cancel_SleepingHandler_AnswersCancelled()
    {
        await using InstanceProcess instance = await InstanceProcess.StartReadyAsync(Packages.Dotnet(packages.Handlers, Probe));
        await using InstanceClient client = await instance.ConnectAsync();
        ulong id = client.NextId();
        Task<Reply> reply = client.SendAsync(WireCodec.EncodeInvoke(id, new RawRequest("sleep", "text/plain", [], "10000"u8.ToArray()), 0));
        await Task.Delay(50);

        await client.CancelAsync(id);

        InvokeError error = (await reply.WaitAsync(TimeSpan.FromSeconds(3))).Error();
        Assert.Equal(ErrorKind.Timeout, error.Kind);
        Assert.Equal($"invocation {id} was cancelled by the platform", error.Message);
    }

    [Fact]
    public async Task Sigterm_HandlerInFlight_AnswersItRefusesNewOnesThenExitsZero()
    {
        await using InstanceProcess instance = await InstanceProcess.StartReadyAsync(Packages.Dotnet(packages.Handlers, Probe));
        await using InstanceClient client = await instance.ConnectAsync();
        Task<Reply> reply = client.RawAsync("sleep", "700");
        await Task.Delay(150);

        instance.Signal(InstanceProcess.SigTerm);
        await instance.WaitForStderrAsync("stopping (SIGTERM); 1 invocation(s) in flight");
        InvokeError refused = (await client.RawAsync("whoami", "")).Error();

        Assert.Equal(new InvokeError(ErrorKind.Unavailable, "the instance is stopping"), refused);
        Assert.StartsWith("slept 700 ms", Encoding.UTF8.GetString((await reply).Raw().Body.Span));
        Assert.Equal(0, await instance.WaitForExitAsync());
        Assert.False(File.Exists(instance.Config.SocketPath));
    }

    [Fact]
    public async Task Start_ParameterlessHandler_IsCreated()
    {
        await using InstanceProcess instance = await InstanceProcess.StartReadyAsync(Packages.Dotnet(packages.Handlers, "Serval.Instance.TestHandlers.Parameterless"));
        await using InstanceClient client = await instance.ConnectAsync();

        Assert.Equal("parameterless hello-dotnet", Encoding.UTF8.GetString((await client.RawAsync("", "")).Raw().Body.Span));
    }

    [Fact]
    public async Task Check_AbsentHandler_NamesTheHandlerClassesThereAre()
    {
        await using InstanceProcess instance = await InstanceProcess.StartAsync(Packages.Dotnet(packages.Handlers, "Serval.Instance.TestHandlers.Absent"), "--check");

        const string Prefix = "'Serval.Instance.TestHandlers.dll' has no type 'Serval.Instance.TestHandlers.Absent'; its handler classes are ";
        Assert.StartsWith(ReadyReport.FailedPrefix + Prefix, instance.FirstLine);
        string[] listed = instance.FirstLine[(ReadyReport.FailedPrefix + Prefix).Length..].Split(", ");
        Assert.Contains("Serval.Instance.TestHandlers.Echo", listed);
        Assert.Contains("Serval.Instance.TestHandlers.BatchEcho", listed);
        Assert.DoesNotContain("Serval.Instance.TestHandlers.NotAHandler", listed);
        Assert.Equal(listed.Order(StringComparer.Ordinal), listed);
        Assert.Equal(1, await instance.WaitForExitAsync());
    }

    [Theory]
    [InlineData("Serval.Instance.TestHandlers.NotAHandler", "'Serval.Instance.TestHandlers.NotAHandler' does not implement Serval.Sdk.IFunctionHandler")]
    [InlineData("Serval.Instance.TestHandlers.FailingConstructor", "the constructor of 'Serval.Instance.TestHandlers.FailingConstructor' failed: System.IO.InvalidDataException: hello-dotnet cannot start: settings.json is missing")]
    public async Task Check_BadHandler_FailsWithClearMessage(string handler, string message)
    {
        await using InstanceProcess instance = await InstanceProcess.StartAsync(Packages.Dotnet(packages.Handlers, handler), "--check");

        Assert.Equal(ReadyReport.FailedPrefix + message, instance.FirstLine);
        Assert.Equal(1, await instance.WaitForExitAsync());
    }

    [Fact]
    public async Task Check_HelloPackage_LoadsModelAndHandler()
    {
        await using InstanceProcess instance = await InstanceProcess.StartAsync(Hello(), "--check");

        Assert.True(instance.IsReady, instance.FirstLine + instance.Stderr);
        Assert.True(instance.Report.WarmupMs > 0);
        Assert.Equal(0, await instance.WaitForExitAsync());
    }

    [Fact]
    public async Task Check_HelloWithoutItsModel_FailsNamingTheModelFile()
    {
        InstanceConfig config = Packages.Dotnet(packages.Hello, "HelloDotnet.Handler", models: new() { ["cls"] = "missing.onnx" });

        await using InstanceProcess instance = await InstanceProcess.StartAsync(config, "--check");

        Assert.StartsWith("SERVAL-FAILED cannot load model 'missing.onnx': ", instance.FirstLine);
        Assert.Equal(1, await instance.WaitForExitAsync());
    }
}
