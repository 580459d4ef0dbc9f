namespace Serval.Core.Wire;

/// <summary>
/// Why an invocation failed. The values are the HTTP status codes the gateway answers with, so the
/// one mapping from failures to status codes is this enum.
/// </summary>
public enum ErrorKind : ushort
{
    /// <summary>The request is wrong: input name, shape, datatype, size or encoding.</summary>
    BadInput = 400,
    /// <summary>No such function, version or route.</summary>
    NotFound = 404,
    /// <summary>The body is over the configured limit.</summary>
    TooLarge = 413,
    /// <summary>Too many requests are waiting.</summary>
    Overloaded = 429,
    /// <summary>The function's own code or model failed.</summary>
    FunctionError = 500,
    /// <summary>The instance crashed or closed its connection mid-invocation.</summary>
    InstanceFailed = 502,
    /// <summary>No instance can serve right now (it failed to start, or the platform is stopping).</summary>
    Unavailable = 503,
    /// <summary>The invocation ran past its deadline.</summary>
    Timeout = 504,
}

/// <summary>A failed invocation, as a value: errors on the request path are not exceptions.</summary>
/// <param name="Kind">The class of failure (and its status code).</param>
/// <param name="Message">What went wrong, for the caller.</param>
public sealed record InvokeError(ErrorKind Kind, string Message);
