namespace Serval.Server.Async;

/// <summary>What a cancel request did.</summary>
/// <param name="Status">The invocation's status after it: Cancelled for a queued one, Running for one being cancelled, else its final status.</param>
/// <param name="Owner">The platform running it (when Running), to stop the run.</param>
/// <param name="Changed">False when it had already ended: nothing changed.</param>
public readonly record struct CancelOutcome(InvocationStatus Status, string? Owner, bool Changed);

/// <summary>
/// Where asynchronous invocations persist, with their runs and destination deliveries. SQLite in the
/// all-in-one platform (its own file, <c>async.db</c>); PostgreSQL in a cluster. Every run is
/// claimed under a lease (owner and expiry), so invocations held by a platform that died are taken
/// up again once their lease expires; every end of a run is written only by the lease's owner.
/// </summary>
public interface IInvocationStore : IAsyncDisposable
{
    /// <summary>Stores an accepted invocation durably (committed before the task completes). A known idempotency key returns the invocation it names instead.</summary>
    Task<InsertResult> InsertAsync(NewInvocation invocation);

    /// <summary>Claims up to <paramref name="limit"/> due queued invocations of <paramref name="function"/>, oldest due first, for <paramref name="owner"/> until <paramref name="leaseUntil"/>.</summary>
    Task<IReadOnlyList<ClaimedInvocation>> ClaimAsync(string function, int limit, string owner, DateTimeOffset now, DateTimeOffset leaseUntil);

    /// <summary>Extends the leases <paramref name="owner"/> holds on <paramref name="ids"/>; returns those whose cancellation was asked for.</summary>
    Task<IReadOnlyList<string>> RenewAsync(string owner, IEnumerable<string> ids, DateTimeOffset leaseUntil);

    /// <summary>
    /// Records the end of a run and the invocation's next state, with its destination delivery (and
    /// the destination function's invocation), in one transaction. False when <paramref name="owner"/>
    /// no longer holds the lease: nothing is written. A cancellation asked for during the run wins:
    /// the invocation ends Cancelled and no destination is notified.
    /// </summary>
    Task<bool> CompleteAsync(Completion completion, string owner);

    /// <summary>Puts running invocations whose lease expired back in the queue (their open run marked interrupted); returns their functions.</summary>
    Task<IReadOnlyList<string>> RecoverAsync(DateTimeOffset now);

    /// <summary>Per function and version: how many invocations are queued and running, and when the oldest queued one was accepted (for metrics).</summary>
    Task<IReadOnlyList<AsyncBacklog>> BacklogAsync();

    /// <summary>The functions with queued invocations due at <paramref name="now"/>.</summary>
    Task<IReadOnlyList<string>> DueFunctionsAsync(DateTimeOffset now);

    /// <summary>
    /// Ends every queued or running invocation of <paramref name="function"/> Failed with
    /// <paramref name="reason"/> (the function was deleted; a running one's end is then not recorded); returns how many.
    /// </summary>
    Task<int> FailFunctionAsync(string function, string reason, DateTimeOffset now);

    /// <summary>Cancels a queued invocation at once, or asks the platform running it to stop it; null when there is no such invocation.</summary>
    Task<CancelOutcome?> CancelAsync(string id, DateTimeOffset now);

    /// <summary>One invocation with its runs, deliveries and result (inline up to <paramref name="inlineLimit"/> bytes); null when unknown.</summary>
    Task<InvocationView?> GetAsync(string id, int inlineLimit);

    /// <summary>The result's description and a stream of its bytes (dispose it); null when there is no result.</summary>
    Task<(StoredResult Meta, Stream Body)?> OpenResultAsync(string id);

    /// <summary>Invocations newest first, filtered and paged.</summary>
    Task<IReadOnlyList<InvocationView>> ListAsync(InvocationQuery query);

    /// <summary>Deletes up to <paramref name="limit"/> invocations that ended before <paramref name="endedBefore"/> and have no delivery pending; returns how many.</summary>
    Task<int> SweepAsync(DateTimeOffset endedBefore, int limit);

    /// <summary>Claims up to <paramref name="limit"/> due webhook deliveries.</summary>
    Task<IReadOnlyList<ClaimedDelivery>> ClaimDeliveriesAsync(string owner, DateTimeOffset now, DateTimeOffset leaseUntil, int limit);

    /// <summary>The last recorded fire of every trigger.</summary>
    Task<IReadOnlyList<Triggers.TriggerFire>> TriggerFiresAsync();

    /// <summary>Records a trigger's fire, durably; a fire for an earlier time than the one recorded changes nothing.</summary>
    Task RecordFireAsync(Triggers.TriggerFire fire);

    /// <summary>Records a webhook attempt: delivered, failed for good, or pending again at <paramref name="due"/>.</summary>
    Task CompleteDeliveryAsync(string invocation, string owner, DeliveryStatus status, DateTimeOffset? due, string? error);
}

/// <summary>The unfinished asynchronous invocations of one function version.</summary>
/// <param name="Function">The function.</param>
/// <param name="Version">Its version.</param>
/// <param name="Queued">Accepted and waiting for a run (a retry's wait included).</param>
/// <param name="Running">Claimed and running.</param>
/// <param name="OldestQueued">When the oldest queued one was accepted; null when none is queued.</param>
public sealed record AsyncBacklog(string Function, int Version, int Queued, int Running, DateTimeOffset? OldestQueued);
