namespace Serval.Sdk;

/// <summary>One invocation as a handler sees it.</summary>
public sealed class FunctionRequest
{
    /// <summary>Creates a request.</summary>
    public FunctionRequest(string requestId, string route, string contentType, IReadOnlyDictionary<string, string> headers, ReadOnlyMemory<byte> body)
    {
        RequestId = requestId;
        Route = route;
        ContentType = contentType;
        Headers = headers;
        Body = body;
    }

    /// <summary>The invocation id (also in the <c>X-Request-Id</c> answer header).</summary>
    public string RequestId { get; }

    /// <summary><c>""</c> for <c>POST /fn/{name}</c>, <c>"predict"</c> for <c>POST /fn/{name}/predict</c>.</summary>
    public string Route { get; }

    /// <summary>The request's content type.</summary>
    public string ContentType { get; }

    /// <summary>The request headers the platform passes on (names in lower case).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The request body.</summary>
    public ReadOnlyMemory<byte> Body { get; }
}
