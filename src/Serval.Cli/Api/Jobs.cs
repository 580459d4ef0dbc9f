using System.Text.Json;

namespace Serval.Cli.Api;

/// <summary>The asynchronous invocations ("jobs") API as the CLI uses it: /v1/invocations.</summary>
internal static class Jobs
{
    /// <summary>The header that makes an invocation asynchronous.</summary>
    public const string TypeHeader = "X-Serval-Invocation-Type";

    /// <summary>The statuses a job ends in.</summary>
    public static readonly string[] Final = ["Succeeded", "Failed", "Expired", "Cancelled"];

    /// <summary>GET v1/invocations/ID; a 404 becomes "no job ID".</summary>
    public static async Task<JsonElement> GetAsync(ServalClient client, string id, CancellationToken ct)
    {
        using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"v1/invocations/{ServalClient.Segment(id)}"), ct);
        if (ServalClient.IsNotFound(response))
        {
            throw new CliException($"no job {id}: {await ServalClient.ErrorMessageAsync(response, ct)}");
        }

        await ServalClient.EnsureSuccessAsync(response, ct);
        return await client.ReadJsonAsync(response, ct);
    }

    /// <summary>The job's status field.</summary>
    public static string Status(JsonElement job) =>
        job.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String ? status.GetString()! : "?";
}
