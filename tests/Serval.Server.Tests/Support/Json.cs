using System.Text.Json;
using System.Text.Json.Nodes;

namespace Serval.Server.Tests.Support;

/// <summary>Small helpers for reading answers.</summary>
public static class Json
{
    /// <summary>The body parsed as JSON.</summary>
    public static async Task<JsonNode> ReadAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidDataException("empty JSON");

    /// <summary>The <c>error</c> of an error answer.</summary>
    public static async Task<string> ErrorAsync(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        using JsonDocument document = JsonDocument.Parse(text);
        return document.RootElement.GetProperty("error").GetString()!;
    }
}
