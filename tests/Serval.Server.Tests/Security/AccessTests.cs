using System.Net;
using System.Net.Http.Json;
using System.Text;
using Serval.Server.Tests.Support;

namespace Serval.Server.Tests.Security;

/// <summary>Every scope boundary against a real platform with auth on.</summary>
public sealed class AccessTests(AuthFixture fixture) : IClassFixture<AuthFixture>
{
    private ServerFixture Server => fixture.Server;

    private static StringContent Body(string text = "{}") => new(text, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData("/v2/health/live")]
    [InlineData("/v2/health/ready")]
    public async Task Health_NoKey_StaysOpen(string path)
    {
        using HttpClient anonymous = Server.ClientWith(null);

        using HttpResponseMessage response = await anonymous.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/v2")]
    [InlineData("GET", "/v2/models/ocr-a")]
    [InlineData("POST", "/fn/ocr-a")]
    [InlineData("POST", "/predict?tid=x")]
    [InlineData("GET", "/v1/functions")]
    [InlineData("POST", "/v1/functions")]
    [InlineData("DELETE", "/v1/functions/ocr-a")]
    [InlineData("GET", "/v1/invocations")]
    [InlineData("GET", "/v1/keys")]
    [InlineData("GET", "/v1/audit")]
    [InlineData("GET", "/metrics")]
    [InlineData("GET", "/no/such/path")]
    public async Task NoKey_401WithBearerChallengeAndJsonError(string method, string path)
    {
        using HttpClient anonymous = Server.ClientWith(null);

        using HttpResponseMessage response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "GET" ? null : Body() });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer realm=\"serval\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Contains("no key: send Authorization: Bearer KEY", await Json.ErrorAsync(response));
    }

    [Theory]
    [InlineData("sv_000000000000_notarealsecretnotarealsecretnotarealsecret00", "the key is not valid")]
    [InlineData("hunter2", "not a Serval key")]
    public async Task WrongKey_401InvalidToken(string key, string message)
    {
        using HttpClient client = Server.ClientWith(key);

        using HttpResponseMessage response = await client.PostAsync("/fn/ocr-a", Body());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Contains(message, await Json.ErrorAsync(response));
    }

    [Fact]
    public async Task WrongSecretForARealId_401()
    {
        string key = await Server.CreateKeyAsync(new { scopes = new[] { "invoke" }, functions = new[] { "*" } });
        using HttpClient client = Server.ClientWith(key[..^4] + "AAAA");

        using HttpResponseMessage response = await client.PostAsync("/fn/ocr-a", Body());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ExpiredKey_401SayingItExpired()
    {
        string key = await Server.CreateKeyAsync(new { scopes = new[] { "invoke" }, functions = new[] { "ocr-a" }, expires = "1h" });
        using HttpClient client = Server.ClientWith(key);
        using (HttpResponseMessage before = await client.PostAsync("/fn/ocr-a", Body()))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        fixture.Clock.Offset = TimeSpan.FromHours(2);
        try
        {
            using HttpResponseMessage after = await client.PostAsync("/fn/ocr-a", Body());

            Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
            Assert.Matches(@"key [0-9a-f]{12} expired at \d{4}-\d\d-\d\d", await Json.ErrorAsync(after));
        }
        finally
        {
            fixture.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task InvokeKeyOnDeploy_403NamingTheScope()
    {
        string key = await Server.CreateKeyAsync(new { scopes = new[] { "invoke" }, functions = new[] { "*" } });
        using HttpClient client = Server.ClientWith(key);

        using HttpResponseMessage deploy = await ServerFixture.DeployBytesAsync(client, TestHandlers.Spec("ocr-new", "NoOp"), TestHandlers.Files());
        using HttpResponseMessage delete = await client.DeleteAsync("/v1/functions/ocr-a");

        foreach (HttpResponseMessage response in new[] { deploy, delete })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            var body = await Json.ReadAsync(response);
            Assert.Equal("deploy", (string?)body["scope"]);
            Assert.Contains("lacks scope deploy (it has scope invoke)", (string?)body["error"]);
        }

        using HttpResponseMessage still = await Server.Client.GetAsync("/v1/functions/ocr-a");
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    [Fact]
    public async Task KeyForFunctionA_OnFunctionB_403NamingTheFunction()
    {
        string key = await Server.CreateKeyAsync(new { scopes = new[] { "invoke" }, functions = new[] { "ocr-a" } });
        using HttpClient client = Server.ClientWith(key);

        using HttpResponseMessage a = await client.PostAsync("/fn/ocr-a", Body());
        using HttpResponseMessage b = await client.PostAsync("/fn/det-b", Body());
        using HttpResponseMessage bMeta = await client.GetAsync("/v2/models/det-b");

        Assert.Equal(HttpStatusCode.OK, a.StatusCode);
        foreach (HttpResponseMessage response in new[] { b, bMeta })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            var body = await Json.ReadAsync(response);
            Assert.Equal("det-b", (string?)body["function"]);
            Assert.Contains("does not cover function 'det-b' (it covers ocr-a)", (string?)body["error"]);
        }
    }

    [Fact]
    public async Task PrefixKey_CoversTheFunctionsItMatchesOnly()
    {
        string key = await Server.CreateKeyAsync(new { scopes = new[] { "invoke" }, functions = new[] { "ocr*" } });
        using HttpClient client = Server.ClientWith(key);

        using HttpResponseMessage call = await client.PostAsync("/fn/ocr-a", Body());
        using HttpResponseMessage monitor = await client.GetAsync("/fn/ocr-a/monitor");
        using HttpResponseMessage other = await client.PostAsync("/fn/det-b", Body());

        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        Assert.Equal(HttpStatusCode.OK, monitor.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
    }

    [Fact]
    public async Task DeployKeyForAPrefix_DeploysAndListsOnlyThoseFunctions()
    {
        string key = await Server.CreateKeyAsync(new { scopes = new[] { "deploy" }, functions = new[] { "ocr-*" } });
        using HttpClient client = Server.ClientWith(key);

        using HttpResponseMessage ours = await ServerFixture.DeployBytesAsync(client, TestHandlers.Spec("ocr-deployed", "NoOp"), TestHandlers.Files());
        using HttpResponseMessage theirs = await ServerFixture.DeployBytesAsync(client, TestHandlers.Spec("det-deployed", "NoOp"), TestHandlers.Files());
        var listed = (await Json.ReadAsync(await client.GetAsync("/v1/functions"))).AsArray().Select(f => (string)f!["name"]!).ToList();
        using HttpResponseMessage invoke = await client.PostAsync("/fn/ocr-deployed", Body());

        Assert.Equal(HttpStatusCode.Created, ours.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, theirs.StatusCode);
        Assert.Contains("does not cover function 'det-deployed'", await Json.ErrorAsync(theirs));
        Assert.Contains("ocr-deployed", listed);
        Assert.Contains("ocr-a", listed);
        Assert.DoesNotContain("det-b", listed);
        Assert.Equal(HttpStatusCode.Forbidden, invoke.StatusCode); // deploy does not grant invoke
        using HttpResponseMessage absent = await Server.Client.GetAsync("/v1/functions/det-deployed");
        Assert.Equal(HttpStatusCode.NotFound, absent.StatusCode);
    }

    [Fact]
    public async Task NonAdminKeys_403OnKeysAuditAndMetrics_AdminReachesAll()
    {
        string key = await Server.CreateKeyAsync(new { scopes = new[] { "deploy", "invoke" }, functions = new[] { "ocr*" } });
        using HttpClient client = Server.ClientWith(key);

        foreach (string path in new[] { "/v1/keys", "/v1/audit" })
        {
            using HttpResponseMessage refused = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("admin", (string?)(await Json.ReadAsync(refused))["scope"]);
            using HttpResponseMessage admin = await Server.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        }

        using HttpResponseMessage metrics = await client.GetAsync("/metrics"); // all functions' series: a key for all of them
        Assert.Equal(HttpStatusCode.Forbidden, metrics.StatusCode);
        using HttpResponseMessage adminMetrics = await Server.Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, adminMetrics.StatusCode);
        using HttpResponseMessage deployAdmin = await Server.Client.DeleteAsync("/v1/functions/no-such");
        Assert.Equal(HttpStatusCode.NotFound, deployAdmin.StatusCode);
    }

    [Fact]
    public async Task RemovedKey_401AtOnce()
    {
        var created = await Json.ReadAsync(await Server.Client.PostAsJsonAsync("/v1/keys", new { scopes = new[] { "invoke" }, functions = new[] { "*" } }));
        using HttpClient client = Server.ClientWith((string)created["key"]!);
        using (HttpResponseMessage before = await client.PostAsync("/fn/ocr-a", Body()))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using HttpResponseMessage removed = await Server.Client.DeleteAsync($"/v1/keys/{created["id"]}");
        using HttpResponseMessage after = await client.PostAsync("/fn/ocr-a", Body());
        using HttpResponseMessage again = await Server.Client.DeleteAsync($"/v1/keys/{created["id"]}");

        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task AsyncInvocationOfAnotherFunction_403_AndLeftOutOfTheListing()
    {
        string id = await AsyncCalls.SubmitAsync(Server.Client, "det-b", "{}");
        string key = await Server.CreateKeyAsync(new { scopes = new[] { "invoke" }, functions = new[] { "ocr*" } });
        using HttpClient client = Server.ClientWith(key);

        using HttpResponseMessage status = await client.GetAsync($"/v1/invocations/{id}");
        using HttpResponseMessage result = await client.GetAsync($"/v1/invocations/{id}/result");
        using HttpResponseMessage cancel = await client.PostAsync($"/v1/invocations/{id}/cancel", null);
        var listed = (await Json.ReadAsync(await client.GetAsync("/v1/invocations")))["invocations"]!.AsArray().Select(i => (string)i!["id"]!);
        using HttpResponseMessage adminStatus = await Server.Client.GetAsync($"/v1/invocations/{id}");

        Assert.Equal(HttpStatusCode.Forbidden, status.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, result.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, cancel.StatusCode);
        Assert.DoesNotContain(id, listed);
        Assert.Equal(HttpStatusCode.OK, adminStatus.StatusCode);
    }

    [Fact]
    public async Task UnknownPath_ValidKey_404()
    {
        string key = await Server.CreateKeyAsync(new { scopes = new[] { "invoke" }, functions = new[] { "ocr*" } });
        using HttpClient client = Server.ClientWith(key);

        using HttpResponseMessage response = await client.GetAsync("/no/such/path");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task KeyListing_ShowsNoSecretAndTheQuota()
    {
        string key = await Server.CreateKeyAsync(new { scopes = new[] { "invoke" }, functions = new[] { "ocr*" }, label = "listing", rpm = 60, concurrency = 2 });

        string listing = await Server.Client.GetStringAsync("/v1/keys");
        var entry = (await Json.ReadAsync(await Server.Client.GetAsync("/v1/keys"))).AsArray().Single(k => (string?)k!["label"] == "listing")!;

        Assert.DoesNotContain(key, listing);
        Assert.DoesNotContain(key[16..], listing);
        Assert.Equal(60, (int)entry["quota"]!["rpm"]!);
        Assert.Equal(2, (int)entry["quota"]!["concurrency"]!);
        Assert.Equal("ocr*", (string?)entry["functions"]![0]);
        Assert.Equal(key.Substring(3, 12), (string?)entry["id"]);
    }

    [Theory]
    [InlineData("""{"functions": ["*"]}""", "scopes: give at least one")]
    [InlineData("""{"scopes": ["root"], "functions": ["*"]}""", "scopes: 'root' is not a scope")]
    [InlineData("""{"scopes": ["invoke"]}""", "functions: a deploy or invoke key is limited to functions")]
    [InlineData("""{"scopes": ["invoke"], "functions": ["o*cr"]}""", "'*' may only end a pattern")]
    [InlineData("""{"scopes": ["invoke"], "functions": ["*"], "expires": "soon"}""", "expires: 'soon' is not a lifetime")]
    [InlineData("""{"scopes": ["invoke"], "functions": ["*"], "rpm": 0}""", "rpm: a whole number from 1")]
    [InlineData("""not json""", "a key is created from a JSON object")]
    public async Task CreateKey_BadRequest_400NamingTheField(string body, string message)
    {
        using HttpResponseMessage response = await Server.Client.PostAsync("/v1/keys", Body(body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await Json.ErrorAsync(response));
    }

    [Fact]
    public void AdminKeyFile_ReadableByItsOwnerOnly()
    {
        string path = Path.Combine(Server.DataDirectory, "admin.key");

        if (OperatingSystem.IsWindows())
        {
            return; // no Unix file modes
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Matches("^sv_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$", File.ReadAllText(path).Trim());
    }
}
