using System.Globalization;
using Serval.Server.Dispatch;
using Serval.Server.Functions;

namespace Serval.Server.Gateway;

/// <summary>The headers every invocation answer carries (see the README's HTTP API).</summary>
public static class InvocationHeaders
{
    /// <summary>Sets them from <paramref name="result"/>.</summary>
    public static void Set(HttpResponse response, string requestId, DeployedVersion version, in InvocationResult result)
    {
        var headers = response.Headers;
        headers["X-Request-Id"] = requestId;
        headers["X-Serval-Duration-Ms"] = result.DurationMs.ToString("0.###", CultureInfo.InvariantCulture);
        // Billed in whole milliseconds, rounded up (as per-millisecond function billing does).
        headers["X-Serval-Billed-Ms"] = Math.Ceiling(result.DurationMs).ToString(CultureInfo.InvariantCulture);
        headers["X-Serval-Memory-MB"] = Math.Round(result.MemoryMb).ToString(CultureInfo.InvariantCulture);
        headers["X-Serval-Cold-Start"] = result.ColdStart ? "true" : "false";
        headers["X-Serval-Instance"] = result.InstanceId;
        headers["X-Serval-Version"] = version.Version.ToString(CultureInfo.InvariantCulture);
        if (result.Node is { } node)
        {
            headers["X-Serval-Node"] = node;
        }
    }

    /// <summary>
    /// The caller's own deadline from <c>X-Serval-Timeout-Ms</c> (it can only shorten the function's
    /// <c>timeout</c>), or the 400 message when the header is not a positive whole number.
    /// </summary>
    public static (TimeSpan? Timeout, string? Error) CallerTimeout(HttpRequest request)
    {
        string? value = request.Headers["X-Serval-Timeout-Ms"];
        if (value is null)
        {
            return (null, null);
        }

        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long ms) && ms > 0
            ? (TimeSpan.FromMilliseconds(ms), null)
            : (null, $"X-Serval-Timeout-Ms must be a positive whole number of milliseconds, got '{value}'");
    }

    private static readonly System.Buffers.SearchValues<char> IdCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

    /// <summary>A new request id, or the caller's own <c>X-Request-Id</c> when it sent a sane one.</summary>
    public static string RequestId(HttpRequest request)
    {
        string? given = request.Headers["X-Request-Id"];
        return given is { Length: > 0 and <= 128 } && given.AsSpan().IndexOfAnyExcept(IdCharacters) < 0
            ? given
            : Guid.NewGuid().ToString("N");
    }
}
