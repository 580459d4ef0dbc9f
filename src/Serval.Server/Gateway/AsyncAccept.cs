using System.Globalization;
using System.Text.Json;
using Serval.Server.Async;
using Serval.Server.Functions;

namespace Serval.Server.Gateway;

/// <summary>
/// The asynchronous side of the invocation endpoints: <c>X-Serval-Invocation-Type: async</c> stores
/// the request and answers <c>202 Accepted</c> with the invocation's id and a <c>Location</c> for its
/// status; <c>Idempotency-Key</c> makes a repeat return the first invocation (202 again, nothing run twice).
/// </summary>
public static class AsyncAccept
{
    /// <summary>The header that asks for an asynchronous invocation.</summary>
    public const string TypeHeader = "X-Serval-Invocation-Type";

    /// <summary>The header naming one invocation per function across repeats.</summary>
    public const string KeyHeader = "Idempotency-Key";

    /// <summary>The longest idempotency key (255 characters).</summary>
    public const int MaxKeyLength = 255;

    /// <summary>Whether the request asks for an async invocation (<c>async</c>; <c>sync</c> or none: not), or the 400 message.</summary>
    public static (bool Async, string? Error) InvocationType(HttpRequest request)
    {
        string? value = request.Headers[TypeHeader];
        return value switch
        {
            null or "" => (false, null),
            _ when value.Equals("async", StringComparison.OrdinalIgnoreCase) => (true, null),
            _ when value.Equals("sync", StringComparison.OrdinalIgnoreCase) => (false, null),
            _ => (false, $"{TypeHeader} must be 'sync' or 'async', got '{Show(value)}'"),
        };
    }

    /// <summary>The request's idempotency key (null when none), or the 400 message: 1 to 255 visible ASCII characters, async invocations only.</summary>
    public static (string? Key, string? Error) IdempotencyKey(HttpRequest request, bool isAsync)
    {
        if (!request.Headers.TryGetValue(KeyHeader, out var values))
        {
            return (null, null);
        }

        if (!isAsync)
        {
            return (null, $"{KeyHeader} applies to asynchronous invocations: add '{TypeHeader}: async', or leave the key out");
        }

        if (values.Count > 1)
        {
            return (null, $"{KeyHeader} is given {values.Count} times; give one");
        }

        string key = values.ToString();
        if (key.Length is 0 or > MaxKeyLength || key.AsSpan().ContainsAnyExceptInRange('!', '~'))
        {
            return (null, $"{KeyHeader} must be 1 to {MaxKeyLength} visible ASCII characters (no spaces), got '{Show(key)}' ({key.Length} characters)");
        }

        return (key, null);
    }

    /// <summary>
    /// The invocation type, idempotency key and body of a call (the body within the limit its type
    /// allows); null once a 400 (bad header) or 413 (body too large) is answered. The caller disposes the body.
    /// </summary>
    public static async Task<(bool IsAsync, string? Key, PooledBody Body)?> ReadCallAsync(HttpContext context, ServalOptions options)
    {
        var (isAsync, typeError) = InvocationType(context.Request);
        var (key, keyError) = IdempotencyKey(context.Request, isAsync);
        if ((typeError ?? keyError) is { } headerError)
        {
            await Errors.WriteAsync(context, 400, headerError).ConfigureAwait(false);
            return null;
        }

        var (pooled, tooLarge) = await RequestBody.ReadPooledAsync(context.Request, BodyLimit(options, isAsync), context.RequestAborted).ConfigureAwait(false);
        if (pooled is null)
        {
            await Errors.WriteAsync(context, 413, TooLarge(context.Request, options, isAsync, tooLarge!)).ConfigureAwait(false);
            return null;
        }

        return (isAsync, key, pooled);
    }

    /// <summary>The body limit for this request: the async payload limit when it is asynchronous.</summary>
    public static long BodyLimit(ServalOptions options, bool isAsync) =>
        isAsync ? Math.Min(options.MaxBodyBytes, options.Async.MaxPayloadBytes) : options.MaxBodyBytes;

    /// <summary>The 413 message for a body over <see cref="BodyLimit"/>.</summary>
    public static string TooLarge(HttpRequest request, ServalOptions options, bool isAsync, string synchronousMessage) =>
        isAsync && options.Async.MaxPayloadBytes < options.MaxBodyBytes
            ? AsyncInvocations.TooLargeMessage(request.ContentLength, options.Async.MaxPayloadBytes)
            : synchronousMessage;

    /// <summary>The request headers <paramref name="route"/> reads again at each run.</summary>
    public static IReadOnlyDictionary<string, string> KeptHeaders(HttpRequest request)
    {
        Dictionary<string, string>? kept = null;
        foreach (string name in AsyncRequests.KeptHeaders)
        {
            if (request.Headers.TryGetValue(name, out var value))
            {
                (kept ??= new Dictionary<string, string>(StringComparer.Ordinal))[name] = value.ToString();
            }
        }

        return kept ?? StoredRequest.NoHeaders;
    }

    /// <summary>Stores the invocation and answers 202 (or the refusal).</summary>
    public static async Task AcceptAsync(HttpContext context, DeployedVersion version, StoredRequest request, string? key)
    {
        var invocations = context.RequestServices.GetRequiredService<AsyncInvocations>();
        SubmitResult result = await invocations.SubmitAsync(new AsyncSubmission(version, request) { IdempotencyKey = key }).ConfigureAwait(false);
        if (result.Error is { } error)
        {
            await Errors.WriteAsync(context, error.StatusCode, error.Message).ConfigureAwait(false);
            return;
        }

        string location = $"/v1/invocations/{result.Id}";
        HttpResponse response = context.Response;
        response.StatusCode = StatusCodes.Status202Accepted;
        response.Headers.Location = location;
        response.Headers["X-Request-Id"] = result.Id;
        if (result.Replayed)
        {
            response.Headers["Idempotent-Replay"] = "true";
        }
        else
        {
            response.Headers["X-Serval-Version"] = version.Version.ToString(CultureInfo.InvariantCulture);
        }

        response.ContentType = "application/json";
        await response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(new Accepted(result.Id, version.Function, result.Status.ToString(), location, result.Replayed), AcceptedJson.Options), context.RequestAborted).ConfigureAwait(false);
    }

    private static string Show(string value) => value.Length <= 40 ? value : value[..37] + "...";

    /// <summary>The 202 body.</summary>
    private sealed record Accepted(string Id, string Function, string Status, string Location, bool Replayed);

    private static class AcceptedJson
    {
        public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
    }
}
