using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Serval.Server.Tests.Support;

/// <summary>Asynchronous invocations as a client makes them: submit, then poll the status API.</summary>
public static class AsyncCalls
{
    /// <summary>Posts <paramref name="body"/> to <c>/fn/{function}</c> as an async invocation; returns the answer (undisposed).</summary>
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string function, string body, params (string Name, string Value)[] headers) =>
        PostAsync(client, function, new StringContent(body, Encoding.UTF8, "text/plain"), headers);

    /// <summary>Posts <paramref name="content"/> to <c>/fn/{function}</c> as an async invocation; returns the answer (undisposed).</summary>
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string function, HttpContent content, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/fn/{function}") { Content = content };
        request.Headers.Add("X-Serval-Invocation-Type", "async");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return client.SendAsync(request);
    }

    /// <summary>Submits and asserts 202; returns the invocation id.</summary>
    public static Task<string> SubmitAsync(HttpClient client, string function, string body, params (string Name, string Value)[] headers) =>
        SubmitAsync(client, function, new StringContent(body, Encoding.UTF8, "text/plain"), headers);

    /// <summary>Submits <paramref name="content"/> and asserts 202; returns the invocation id.</summary>
    public static async Task<string> SubmitAsync(HttpClient client, string function, HttpContent content, params (string Name, string Value)[] headers)
    {
        using HttpResponseMessage response = await PostAsync(client, function, content, headers);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"async submit to {function}: {(int)response.StatusCode} {text}");
        JsonNode accepted = JsonNode.Parse(text)!;
        string id = (string)accepted["id"]!;
        Assert.Equal($"/v1/invocations/{id}", response.Headers.Location!.ToString());
        return id;
    }

    /// <summary>GET /v1/invocations/{id}, asserting 200.</summary>
    public static async Task<JsonNode> GetAsync(HttpClient client, string id)
    {
        using HttpResponseMessage response = await client.GetAsync($"/v1/invocations/{id}");
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET invocation {id}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Polls until the invocation's status is one of <paramref name="statuses"/> (default: any final one), at most <paramref name="limit"/>.</summary>
    public static async Task<JsonNode> WaitAsync(HttpClient client, string id, TimeSpan limit, params string[] statuses)
    {
        string[] wanted = statuses.Length > 0 ? statuses : ["Succeeded", "Failed", "Expired", "Cancelled"];
        var clock = Stopwatch.StartNew();
        while (true)
        {
            JsonNode invocation = await GetAsync(client, id);
            if (wanted.Contains((string)invocation["status"]!))
            {
                return invocation;
            }

            Assert.True(clock.Elapsed < limit, $"invocation {id} did not reach {string.Join("/", wanted)} within {limit.TotalSeconds} s: {invocation.ToJsonString()}");
            await Task.Delay(25);
        }
    }
}
