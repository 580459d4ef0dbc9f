namespace Serval.Server.Async;

/// <summary>One run of an invocation.</summary>
/// <param name="N">1 for the first run.</param>
/// <param name="Started">When it was claimed.</param>
/// <param name="Ended">When it ended, or null while running.</param>
/// <param name="Error">Its error, or null.</param>
/// <param name="ErrorClass"><c>function</c>, <c>timeout</c> or <c>system</c>, or null.</param>
/// <param name="Instance">The instance that ran it, or null.</param>
public sealed record AttemptView(int N, DateTimeOffset Started, DateTimeOffset? Ended, string? Error, string? ErrorClass, string? Instance);

/// <summary>A destination's delivery.</summary>
/// <param name="Destination">The function's name or the URL.</param>
/// <param name="Kind"><c>function</c> or <c>webhook</c>.</param>
/// <param name="Condition">The record's condition.</param>
/// <param name="Status">Pending, Delivered or Failed.</param>
/// <param name="Attempts">POSTs made (webhooks); 1 for a function.</param>
/// <param name="Invocation">The destination function's invocation, or null.</param>
/// <param name="Error">The last error, or null.</param>
public sealed record DeliveryView(string Destination, string Kind, string Condition, DeliveryStatus Status, int Attempts, string? Invocation, string? Error);

/// <summary>The result's description and, when small, its bytes.</summary>
/// <param name="StatusCode">The answer's status.</param>
/// <param name="ContentType">Its content type.</param>
/// <param name="Size">Its size in bytes.</param>
/// <param name="Inline">The bytes when at most the inline limit, else null.</param>
public sealed record ResultView(int StatusCode, string ContentType, long Size, byte[]? Inline);

/// <summary>An invocation as <c>GET /v1/invocations/{id}</c> shows it.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Function">The function.</param>
/// <param name="Version">The version.</param>
/// <param name="Status">Its status.</param>
/// <param name="Created">When it was accepted.</param>
/// <param name="Ended">When it reached its final status, or null.</param>
/// <param name="Reason">Why it failed, expired or was cancelled, or null.</param>
/// <param name="Condition">Its destination condition, or null.</param>
/// <param name="Source">Who submitted it.</param>
/// <param name="Parent">The invocation whose destination it is, or null.</param>
/// <param name="IdempotencyKey">The caller's key, or null.</param>
/// <param name="Due">When its next run may start (Queued), or null.</param>
public sealed record InvocationView(string Id, string Function, int Version, InvocationStatus Status, DateTimeOffset Created, DateTimeOffset? Ended, string? Reason, string? Condition, string Source, string? Parent, string? IdempotencyKey, DateTimeOffset? Due)
{
    /// <summary>The runs, oldest first (empty in listings).</summary>
    public IReadOnlyList<AttemptView> Attempts { get; init; } = [];

    /// <summary>Runs started so far (also in listings).</summary>
    public int AttemptCount { get; init; }

    /// <summary>The destination deliveries (empty in listings).</summary>
    public IReadOnlyList<DeliveryView> Deliveries { get; init; } = [];

    /// <summary>The result, or null.</summary>
    public ResultView? Result { get; init; }
}

/// <summary>A listing's filter and page.</summary>
/// <param name="Function">Only this function's, or all.</param>
/// <param name="Status">Only in this status, or all.</param>
/// <param name="Limit">At most this many.</param>
/// <param name="After">Continue after this id (newest first), or from the newest.</param>
public sealed record InvocationQuery(string? Function, InvocationStatus? Status, int Limit, string? After);

/// <summary>A webhook delivery a platform claimed to attempt once.</summary>
/// <param name="Invocation">The invocation it reports on.</param>
/// <param name="Url">The webhook.</param>
/// <param name="Record">The JSON record to POST.</param>
/// <param name="Attempt">This attempt's number.</param>
public sealed record ClaimedDelivery(string Invocation, string Url, byte[] Record, int Attempt);
