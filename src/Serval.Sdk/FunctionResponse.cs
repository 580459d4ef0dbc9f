using System.Text;
using System.Text.Json;

namespace Serval.Sdk;

/// <summary>A handler's answer.</summary>
public sealed class FunctionResponse
{
    /// <summary>Creates an answer.</summary>
    public FunctionResponse(int statusCode, string contentType, ReadOnlyMemory<byte> body)
    {
        StatusCode = statusCode;
        ContentType = contentType;
        Body = body;
    }

    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; }

    /// <summary>The content type.</summary>
    public string ContentType { get; }

    /// <summary>The body.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>A JSON answer serialised with <see cref="JsonSerializer"/> (camelCase names).</summary>
    public static FunctionResponse Json<T>(T value, int statusCode = 200) =>
        new(statusCode, "application/json", JsonSerializer.SerializeToUtf8Bytes(value, JsonSerializerOptions.Web));

    /// <summary>A plain-text answer.</summary>
    public static FunctionResponse Text(string text, int statusCode = 200) =>
        new(statusCode, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text));

    /// <summary>A binary answer.</summary>
    public static FunctionResponse Bytes(ReadOnlyMemory<byte> body, string contentType = "application/octet-stream") =>
        new(200, contentType, body);

    /// <summary>An item list (<see cref="ItemList"/>): what a plan step answers for the next step to <c>map</c> over.</summary>
    public static FunctionResponse Items(ReadOnlySpan<byte> meta, IReadOnlyList<ReadOnlyMemory<byte>> items) =>
        new(200, ItemList.ContentType, ItemList.Encode(meta, items));

    /// <summary>A client error: the platform answers it with this status and <c>{"error": message}</c>.</summary>
    public static FunctionResponse BadRequest(string message) => Json(new { error = message }, 400);
}
