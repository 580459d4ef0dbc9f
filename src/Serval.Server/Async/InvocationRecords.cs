using Serval.Core.Async;
using Serval.Core.Specs;

namespace Serval.Server.Async;

/// <summary>An invocation's request as stored: enough to build the instance request again for every run.</summary>
/// <param name="Route"><c>""</c> (<c>POST /fn/{name}</c>), <c>predict</c>, or <c>oip</c> (<c>/v2/.../infer</c>).</param>
/// <param name="ContentType">The body's content type.</param>
/// <param name="Headers">The request headers the route reads (<c>X-Serval-Shape</c>, <c>Inference-Header-Content-Length</c>), lower-case names.</param>
/// <param name="Body">The body.</param>
public sealed record StoredRequest(string Route, string ContentType, IReadOnlyDictionary<string, string> Headers, ReadOnlyMemory<byte> Body)
{
    /// <summary>No headers.</summary>
    public static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();

    /// <summary>A body for <c>POST /fn/{name}</c> (route "") with no headers: what a fan-out or a trigger submits.</summary>
    public static StoredRequest Raw(string contentType, ReadOnlyMemory<byte> body) => new("", contentType, NoHeaders, body);
}

/// <summary>A run's answer as stored and served at <c>GET /v1/invocations/{id}/result</c>.</summary>
/// <param name="StatusCode">The HTTP status the synchronous call would have answered.</param>
/// <param name="ContentType">Its content type.</param>
/// <param name="Headers">Answer headers that describe the body (<c>X-Serval-Shape</c>...), or empty.</param>
/// <param name="Body">The body.</param>
public sealed record StoredResult(int StatusCode, string ContentType, IReadOnlyDictionary<string, string> Headers, ReadOnlyMemory<byte> Body);

/// <summary>An invocation to store, as accepted.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Function">The function.</param>
/// <param name="Version">The version it runs on, fixed at acceptance.</param>
/// <param name="Request">The request.</param>
/// <param name="Created">When it was accepted.</param>
/// <param name="Source">Who submitted it: <c>http</c>, <c>destination</c>, ...</param>
/// <param name="Parent">The invocation whose destination this is, or null.</param>
/// <param name="Depth">How many destinations deep (0 for a caller's invocation).</param>
/// <param name="IdempotencyKey">The caller's key, or null.</param>
/// <param name="RequestHash">sha256 of the request, to refuse a key reused with another request; null without a key.</param>
public sealed record NewInvocation(string Id, string Function, int Version, StoredRequest Request, DateTimeOffset Created, string Source, string? Parent, int Depth, string? IdempotencyKey, byte[]? RequestHash);

/// <summary>What storing an invocation did.</summary>
/// <param name="Id">The id: the new one, or the one its idempotency key already names.</param>
/// <param name="Status">Its status now.</param>
/// <param name="Replayed">True when the key named an existing invocation (nothing new was stored).</param>
/// <param name="KeyConflict">True when the key names an invocation with a different request.</param>
public readonly record struct InsertResult(string Id, InvocationStatus Status, bool Replayed, bool KeyConflict);

/// <summary>An invocation a platform claimed to run once.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Function">The function.</param>
/// <param name="Version">The version.</param>
/// <param name="Request">The request.</param>
/// <param name="Created">When it was accepted.</param>
/// <param name="Attempt">This run's number (1 for the first).</param>
/// <param name="CountedFailures">Earlier runs that failed with a function error or a timeout.</param>
/// <param name="SystemFailures">Earlier capacity or system failures in a row.</param>
/// <param name="Depth">Its depth in a chain of destinations.</param>
public sealed record ClaimedInvocation(string Id, string Function, int Version, StoredRequest Request, DateTimeOffset Created, int Attempt, int CountedFailures, int SystemFailures, int Depth);

/// <summary>A record for a destination, stored with the invocation's end in one transaction.</summary>
/// <param name="Destination">The function's name or the URL.</param>
/// <param name="Kind">Function or webhook.</param>
/// <param name="Condition">The record's condition: <c>Success</c>, <c>RetriesExhausted</c>...</param>
/// <param name="Record">The JSON record.</param>
/// <param name="Submission">For a function destination: its invocation, stored in the same transaction; null when it could not be made.</param>
/// <param name="Error">Why a function destination could not be invoked (it fails at once), or null.</param>
public sealed record NewDelivery(string Destination, DestinationKind Kind, string Condition, byte[] Record, NewInvocation? Submission, string? Error);

/// <summary>The end of one run: the invocation's next state and the facts of the attempt.</summary>
/// <param name="Id">The invocation.</param>
/// <param name="Attempt">The run's number.</param>
/// <param name="Ended">When it ended.</param>
/// <param name="Status"><see cref="InvocationStatus.Queued"/> for a retry, else a final status.</param>
/// <param name="Due">When the retry may start (with Queued).</param>
/// <param name="Error">The run's error, or null when it succeeded.</param>
/// <param name="ErrorClass">The error's class, or null.</param>
/// <param name="Instance">The instance that ran it, or empty.</param>
public sealed record Completion(string Id, int Attempt, DateTimeOffset Ended, InvocationStatus Status, DateTimeOffset? Due, string? Error, ErrorClass? ErrorClass, string Instance)
{
    /// <summary>False when the run never started (the invocation had expired, or the platform stopped first): its attempt is removed.</summary>
    public bool Ran { get; init; } = true;

    /// <summary>Why it ended (final statuses), or null.</summary>
    public string? Reason { get; init; }

    /// <summary>The destination record's condition when it ended, or null.</summary>
    public string? Condition { get; init; }

    /// <summary>The answer (a success's, or the function's own error answer), or null.</summary>
    public StoredResult? Result { get; init; }

    /// <summary>The destination to notify (stored only if this completion is the one that ends it), or null.</summary>
    public NewDelivery? Delivery { get; init; }
}
