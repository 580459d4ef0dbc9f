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
    }

    /// <summary>A new request id, or the caller's own <c>X-Request-Id</c> when it sent a sane one.</summary>
    public static string RequestId(HttpRequest request)
    {
        string? given = request.Headers["X-Request-Id"];
        return given is { Length: > 0 and <= 128 } && given.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? given
            : Guid.NewGuid().ToString("N");
    }
}
