using System.Net;
using System.Text;
using Serval.Server.Tests.Support;

namespace Serval.Server.Tests.Async;

/// <summary>Bad async requests get a clear 4xx; what was accepted always ends with a reason.</summary>
public sealed class AsyncBadInputTests : IAsyncLifetime
{
    private readonly ServerFixture _server = new(configure: o => o with { Async = o.Async with { MaxPayloadBytes = 64 << 10 } });

    public async Task InitializeAsync()
    {
        await _server.InitializeAsync();
        await _server.DeployHandlerAsync("noop", "NoOp");
        await _server.DeployHandlerAsync("doomed", "Slow", "instances: { max: 1, concurrency: 1 }\n");
    }

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task PayloadOverAsyncLimit_413NamingTheLimit()
    {
        using HttpResponseMessage response = await AsyncCalls.PostAsync(_server.Client, "noop", new string('x', 100_000));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("the payload is 100000 bytes, over the limit of 64 KiB for asynchronous invocations (raise it with --async-max-payload-mb, or send a URL to the data)", await Json.ErrorAsync(response));

        // The same body synchronously is within the 4 MiB body limit.
        using HttpResponseMessage sync = await _server.Client.PostAsync("/fn/noop", new StringContent(new string('x', 100_000)));
        Assert.Equal(HttpStatusCode.OK, sync.StatusCode);
    }

    [Fact]
    public async Task UnknownInvocationType_400()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/fn/noop") { Content = new StringContent("x") };
        request.Headers.Add("X-Serval-Invocation-Type", "Event");

        using HttpResponseMessage response = await _server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("X-Serval-Invocation-Type must be 'sync' or 'async', got 'Event'", await Json.ErrorAsync(response));
    }

    [Fact]
    public async Task UnknownFunction_404()
    {
        using HttpResponseMessage response = await AsyncCalls.PostAsync(_server.Client, "nope", "x");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("no function named 'nope'", await Json.ErrorAsync(response));
    }

    [Fact]
    public async Task FunctionDeletedWithInvocationsWaiting_BothEndFailedWithTheReason()
    {
        string running = await AsyncCalls.SubmitAsync(_server.Client, "doomed", "60000");
        await AsyncCalls.WaitAsync(_server.Client, running, TimeSpan.FromSeconds(30), "Running");
        string queued = await AsyncCalls.SubmitAsync(_server.Client, "doomed", "10");

        using (HttpResponseMessage deleted = await _server.Client.DeleteAsync("/v1/functions/doomed"))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        // Ended by the delete itself, so a function deployed again under the name never runs them.
        await _server.DeployHandlerAsync("doomed", "NoOp");
        foreach (string id in new[] { running, queued })
        {
            var done = await AsyncCalls.WaitAsync(_server.Client, id, TimeSpan.FromSeconds(30), "Failed", "Succeeded", "Cancelled", "Expired");
            Assert.Equal("Failed", (string)done["status"]!);
            Assert.Equal("function 'doomed' was deleted before the invocation could complete", (string)done["reason"]!);
            Assert.Equal("FunctionMissing", (string)done["condition"]!);
        }

        var interrupted = Assert.Single((await AsyncCalls.GetAsync(_server.Client, running))["attempts"]!.AsArray())!;
        Assert.Equal("function 'doomed' was deleted before the invocation could complete", (string)interrupted["error"]!);
        Assert.NotNull(interrupted["endedAt"]);
    }
}
