using System.Text.Json;

namespace Serval.Cluster;

/// <summary>How records are written into buckets: camelCase JSON, as the HTTP API writes them.</summary>
internal static class Json
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static byte[] Bytes<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static T? Read<T>(byte[]? bytes)
        where T : class
    {
        if (bytes is not { Length: > 0 })
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<T>(bytes, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
