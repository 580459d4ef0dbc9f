using System.Text.Json;
using Serval.Core.Wire;

namespace Serval.Server.Gateway;

/// <summary>
/// The one table from failures to HTTP answers: an <see cref="ErrorKind"/>'s value is its status
/// code, the body is always <c>{"error": "..."}</c>, and overload answers carry <c>Retry-After</c>.
/// </summary>
public static class Errors
{
    // Messages quote names ('x'): keep them readable instead of \u0027-escaped.
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <paramref name="error"/> as the answer.</summary>
    public static Task WriteAsync(HttpContext context, InvokeError error) => WriteAsync(context, (int)error.Kind, error.Message);

    /// <summary>Writes a <c>{"error"}</c> answer with <paramref name="status"/>.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        if (status is 429 or 503)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(new ErrorBody(message), Json), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// Refuses a request to <paramref name="version"/> with a 400 before it reaches an instance, and
    /// counts it (<c>serval_invocations_total{cause="bad_input"}</c>): a refusal is an answered call too.
    /// </summary>
    public static Task RefuseAsync(HttpContext context, Functions.DeployedVersion version, string message)
    {
        context.RequestServices.GetRequiredService<Monitoring.InvocationRecorder>().Refused(version, new InvokeError(ErrorKind.BadInput, message));
        return WriteAsync(context, 400, message);
    }

    /// <summary>An <see cref="IResult"/> for endpoints that return results.</summary>
    public static IResult Result(int status, string message) => Results.Json(new ErrorBody(message), Json, statusCode: status);

    /// <summary>The error body.</summary>
    /// <param name="Error">The message.</param>
    public sealed record ErrorBody([property: System.Text.Json.Serialization.JsonPropertyName("error")] string Error);
}
