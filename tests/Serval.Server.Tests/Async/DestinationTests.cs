using System.Net;
using System.Text.Json.Nodes;
using Serval.Core.Async;
using Serval.Server.Tests.Support;

namespace Serval.Server.Tests.Async;

/// <summary>onSuccess/onFailure: the record, delivered to another function and to a webhook on 127.0.0.1.</summary>
public sealed class DestinationTests : IAsyncLifetime
{
    private readonly WebhookListener _hook = new(500);
    private readonly ServerFixture _server = new(configure: o => o with { Async = o.Async with { Retry = new RetryOptions { BaseDelay = TimeSpan.FromMilliseconds(100) } } });

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        await _server.DeployHandlerAsync("sink", "Echo");
        await _server.DeployHandlerAsync("failing", "AlwaysFail", "async: { retries: 1, onFailure: sink, onSuccess: sink }\n");
        await _server.DeployHandlerAsync("hooked", "NoOp", $"async: {{ onSuccess: '{_hook.Url}', onFailure: sink }}\n");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _hook.Dispose();
    }

    [Fact]
    public async Task AlwaysFails_OnFailureFunctionGetsTheRecordFieldByField()
    {
        string id = await AsyncCalls.SubmitAsync(_server.Client, "failing", new StringContent("{\"order\": 7}", System.Text.Encoding.UTF8, "application/json"));

        JsonNode failed = await AsyncCalls.WaitAsync(_server.Client, id, TimeSpan.FromSeconds(30));
        Assert.Equal("Failed", (string)failed["status"]!);
        JsonNode delivery = Assert.Single(failed["deliveries"]!.AsArray())!;
        Assert.Equal("sink", (string)delivery["destination"]!);
        Assert.Equal("function", (string)delivery["kind"]!);
        Assert.Equal("RetriesExhausted", (string)delivery["condition"]!);
        Assert.Equal("Delivered", (string)delivery["status"]!);
        string sinkId = (string)delivery["invocation"]!;

        JsonNode sunk = await AsyncCalls.WaitAsync(_server.Client, sinkId, TimeSpan.FromSeconds(30));
        Assert.Equal("Succeeded", (string)sunk["status"]!);
        Assert.Equal("destination", (string)sunk["source"]!);
        Assert.Equal(id, (string)sunk["parent"]!);
        JsonNode record = sunk["result"]!;
        Assert.Equal("1.0", (string)record["version"]!);
        JsonNode context = record["requestContext"]!;
        Assert.Equal(id, (string)context["requestId"]!);
        Assert.Equal("failing", (string)context["function"]!);
        Assert.Equal(1, (int)context["version"]!);
        Assert.Equal("RetriesExhausted", (string)context["condition"]!);
        Assert.Equal(2, (int)context["approximateInvokeCount"]!);
        Assert.Equal(7, (int)record["requestPayload"]!["order"]!);
        JsonNode response = record["responseContext"]!;
        Assert.Equal(500, (int)response["statusCode"]!);
        Assert.Equal("function", (string)response["errorClass"]!);
        Assert.Contains("the function answered 500", (string)response["functionError"]!);
        Assert.Equal($"always fails ({id})", (string)record["responsePayload"]!["error"]!);
        Assert.True(DateTimeOffset.Parse((string)record["timestamp"]!) >= DateTimeOffset.Parse((string)failed["createdAt"]!));
    }

    [Fact]
    public async Task Succeeds_WebhookGetsTheRecordAfterOneRefusal()
    {
        string id = await AsyncCalls.SubmitAsync(_server.Client, "hooked", "ping");
        JsonNode done = await AsyncCalls.WaitAsync(_server.Client, id, TimeSpan.FromSeconds(30));
        Assert.Equal("Succeeded", (string)done["status"]!);

        await _hook.WaitForAsync(2, TimeSpan.FromSeconds(30));
        var received = _hook.Received.ToArray();
        Assert.Equal([500, 200], received.Select(r => r.Answered));
        Assert.All(received, r => Assert.Equal(id, r.Invocation));
        JsonNode record = JsonNode.Parse(received[1].Body)!;
        Assert.Equal(id, (string)record["requestContext"]!["requestId"]!);
        Assert.Equal("hooked", (string)record["requestContext"]!["function"]!);
        Assert.Equal("Success", (string)record["requestContext"]!["condition"]!);
        Assert.Equal(1, (int)record["requestContext"]!["approximateInvokeCount"]!);
        Assert.Equal("ping", (string)record["requestPayload"]!);
        Assert.Equal(200, (int)record["responseContext"]!["statusCode"]!);
        Assert.Null(record["responseContext"]!["functionError"]);
        Assert.Equal(id, (string)record["responsePayload"]!["id"]!);

        JsonNode delivered = await WaitForDeliveryAsync(id, "Delivered");
        Assert.Equal(2, (int)delivered["attempts"]!);
        Assert.Equal(_hook.Url, (string)delivered["destination"]!);
        Assert.Equal("webhook", (string)delivered["kind"]!);
    }

    [Fact]
    public async Task DeployNamingUnknownFunction_400NamingItAndTheLine()
    {
        using HttpResponseMessage response = await _server.DeployBytesAsync(TestHandlers.Spec("orphan", "NoOp", "async:\n  retries: 1\n  onFailure: snk\n"), TestHandlers.Files());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        string error = await Json.ErrorAsync(response);
        Assert.Equal("serval.yaml:6:3: async.onFailure: no function named 'snk' is deployed (hint: did you mean 'sink'?)", error);
    }

    [Fact]
    public async Task DeployNamingItself_400()
    {
        using HttpResponseMessage response = await _server.DeployBytesAsync(TestHandlers.Spec("loop", "NoOp", "async: { onSuccess: loop }\n"), TestHandlers.Files());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("async.onSuccess: names the function itself ('loop')", await Json.ErrorAsync(response));
    }

    private async Task<JsonNode> WaitForDeliveryAsync(string id, string status)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            JsonNode delivery = (await AsyncCalls.GetAsync(_server.Client, id))["deliveries"]!.AsArray().Single()!;
            if ((string)delivery["status"]! == status)
            {
                return delivery;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the delivery of {id} is {delivery.ToJsonString()}");
            await Task.Delay(25);
        }
    }
}
