using System.Text.Json;

namespace Serval.Cli.Api;

/// <summary>GET /v1/functions/NAME/WHAT, where a 404 means "no function named NAME".</summary>
internal static class FunctionGet
{
    public static async Task<JsonElement> JsonAsync(ServalClient client, string name, string what, CancellationToken ct)
    {
        using var response = await client.SendAsync(
            new HttpRequestMessage(HttpMethod.Get, $"v1/functions/{ServalClient.Segment(name)}/{what}"), ct);
        if (ServalClient.IsNotFound(response))
        {
            throw new CliException($"no function named {name}");
        }

        await ServalClient.EnsureSuccessAsync(response, ct);
        return await client.ReadJsonAsync(response, ct);
    }
}
