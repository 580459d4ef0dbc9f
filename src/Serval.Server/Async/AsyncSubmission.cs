using Serval.Server.Functions;

namespace Serval.Server.Async;

/// <summary>
/// One asynchronous invocation to accept, from any source: the gateway (<c>X-Serval-Invocation-Type:
/// async</c>), a destination, a fan-out, a trigger. See <see cref="AsyncInvocations.SubmitAsync"/>.
/// </summary>
/// <param name="Version">The version to run (fixed now: a later deploy does not change it).</param>
/// <param name="Request">The request: route, content type, the headers it needs, the body.</param>
public sealed record AsyncSubmission(DeployedVersion Version, StoredRequest Request)
{
    /// <summary>The caller's idempotency key: a second submission with it returns the first invocation. Null for none.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Who submits it, shown in the status API: <c>http</c> (default), <c>destination</c>, ...</summary>
    public string Source { get; init; } = "http";
}

/// <summary>What a submission got: the invocation's id and status, or why it was refused.</summary>
/// <param name="Id">The id (empty when refused).</param>
/// <param name="Status">Its status now.</param>
/// <param name="Replayed">True when the idempotency key named an existing invocation: nothing new was stored.</param>
/// <param name="Error">Why it was refused (413 too large, 422 key reused with another request), or null.</param>
public sealed record SubmitResult(string Id, InvocationStatus Status, bool Replayed, SubmitError? Error)
{
    /// <summary>A refusal.</summary>
    public static SubmitResult Refused(int statusCode, string message) => new("", InvocationStatus.Queued, false, new SubmitError(statusCode, message));
}

/// <summary>A refused submission: the HTTP status to answer and the message.</summary>
/// <param name="StatusCode">413 or 422.</param>
/// <param name="Message">What was wrong.</param>
public sealed record SubmitError(int StatusCode, string Message);
