using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Serval.Bench;

/// <summary>Asynchronous invocations as a client makes them: submit (202 and an id), then poll until it ends.</summary>
public static class AsyncCalls
{
    /// <summary>POSTs <paramref name="body"/> to <c>/fn/FUNCTION</c> as an async invocation and returns its id.</summary>
    public static async Task<string> SubmitAsync(HttpClient client, string function, byte[] body, string contentType)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/fn/{function}") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        request.Headers.Add("X-Serval-Invocation-Type", "async");
        using HttpResponseMessage response = await client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"async submit to {function} answered {(int)response.StatusCode}: {text}");
        }

        return (string)JsonNode.Parse(text)!["id"]!;
    }

    /// <summary>Polls the invocation every <paramref name="poll"/> until it ends; throws after <paramref name="limit"/>.</summary>
    public static async Task<JsonNode> WaitAsync(HttpClient client, string id, TimeSpan poll, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            JsonNode invocation = JsonNode.Parse(await client.GetStringAsync($"/v1/invocations/{id}"))!;
            if ((string)invocation["status"]! is "Succeeded" or "Failed" or "Expired" or "Cancelled")
            {
                return invocation;
            }

            await Task.Delay(poll);
        }

        throw new TimeoutException($"invocation {id} did not end within {limit.TotalSeconds:0} s");
    }
}
