using System.Security.Cryptography;
using System.Text;
using Serval.Server.Monitoring;

namespace Serval.Server.Async;

/// <summary>
/// Asynchronous invocations, for every part of the platform that makes or reads them: the gateway,
/// the control plane, destinations, fan-outs and triggers. <see cref="SubmitAsync"/> returns once the
/// invocation is durably stored; the <see cref="AsyncDispatcher"/> runs it.
/// </summary>
public sealed class AsyncInvocations(IInvocationStore store, AsyncDispatcher dispatcher, Metrics metrics, AsyncOptions options, TimeProvider time)
{
    /// <summary>How long a cancel of a running invocation waits for its run to stop before answering.</summary>
    private static readonly TimeSpan CancelWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Stores <paramref name="submission"/> (committed before this returns) and wakes the dispatcher.
    /// With an idempotency key already used for this function, nothing is stored: the result names
    /// the first invocation (<see cref="SubmitResult.Replayed"/>), or refuses with 422 when the first
    /// had a different request. A body over the async limit is refused with 413.
    /// </summary>
    public async Task<SubmitResult> SubmitAsync(AsyncSubmission submission)
    {
        StoredRequest request = submission.Request;
        if (request.Body.Length > options.MaxPayloadBytes)
        {
            return SubmitResult.Refused(413, TooLargeMessage(request.Body.Length, options.MaxPayloadBytes));
        }

        DateTimeOffset now = time.GetUtcNow();
        var invocation = new NewInvocation(NewId(now), submission.Version.Function, submission.Version.Version, request, now,
            submission.Source, Parent: null, Depth: 0, submission.IdempotencyKey,
            submission.IdempotencyKey is null ? null : Hash(request));
        InsertResult stored = await store.InsertAsync(invocation).ConfigureAwait(false);
        if (stored.KeyConflict)
        {
            return SubmitResult.Refused(422, $"Idempotency-Key '{submission.IdempotencyKey}' was used for invocation {stored.Id} of {invocation.Function} with a different request; use a new key for a new request");
        }

        if (!stored.Replayed)
        {
            metrics.AsyncAccepted(invocation.Function, invocation.Version, invocation.Source);
            dispatcher.Notify(invocation.Function);
        }

        return new SubmitResult(stored.Id, stored.Status, stored.Replayed, null);
    }

    /// <summary>The 413 message for an async body of <paramref name="size"/> bytes.</summary>
    public static string TooLargeMessage(long? size, long limit) =>
        $"the payload{(size is { } n ? $" is {n} bytes," : " is")} over the limit of {Size(limit)} for asynchronous invocations (raise it with --async-max-payload-mb, or send a URL to the data)";

    /// <summary>"6 MiB", "64 KiB", "100 bytes".</summary>
    public static string Size(long bytes) => bytes switch
    {
        >= 1 << 20 when bytes % (1 << 20) == 0 => $"{bytes >> 20} MiB",
        >= 1 << 20 => $"{bytes / (1024.0 * 1024):0.##} MiB",
        >= 1 << 10 => $"{bytes / 1024.0:0.##} KiB",
        _ => $"{bytes} bytes",
    };

    /// <summary>One invocation with its runs, deliveries and (small) result; null when unknown.</summary>
    public Task<InvocationView?> GetAsync(string id) => store.GetAsync(id, options.InlineResultBytes);

    /// <summary>Invocations newest first.</summary>
    public Task<IReadOnlyList<InvocationView>> ListAsync(InvocationQuery query) => store.ListAsync(query);

    /// <summary>The result's description and bytes (dispose the stream); null when there is none.</summary>
    public Task<(StoredResult Meta, Stream Body)?> OpenResultAsync(string id) => store.OpenResultAsync(id);

    /// <summary>
    /// Cancels: a queued invocation ends Cancelled at once; a running one is stopped (here, or by the
    /// platform running it at its next lease renewal) and ends Cancelled. Waits up to 5 s for that,
    /// then answers with the invocation as it is. Null when unknown; <c>AlreadyEnded</c> when it had
    /// ended before (nothing changed).
    /// </summary>
    public async Task<(InvocationView? View, bool AlreadyEnded)> CancelAsync(string id)
    {
        DateTimeOffset started = time.GetUtcNow();
        CancelOutcome? outcome = await store.CancelAsync(id, started).ConfigureAwait(false);
        if (outcome is not { } done)
        {
            return (null, false);
        }

        if (!done.Changed)
        {
            return (await GetAsync(id).ConfigureAwait(false), true);
        }

        if (done.Status == InvocationStatus.Running)
        {
            if (done.Owner == dispatcher.Owner)
            {
                dispatcher.Cancel(id);
            }

            // Bounded: 100 polls of 50 ms, or the 5 s wait, whichever ends first.
            for (int i = 0; i < 100 && time.GetUtcNow() - started < CancelWait; i++)
            {
                InvocationView? view = await GetAsync(id).ConfigureAwait(false);
                if (view is null || view.Status.IsFinal())
                {
                    return (view, false);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(50), time).ConfigureAwait(false);
            }
        }

        return (await GetAsync(id).ConfigureAwait(false), false);
    }

    /// <summary>
    /// Ends the function's queued and running invocations Failed (it was deleted): at once, so a
    /// function deployed again under the name never runs them; stops the runs this platform holds,
    /// so its instances drain at once. Returns how many ended.
    /// </summary>
    public async Task<int> FunctionDeletedAsync(string function)
    {
        int ended = await store.FailFunctionAsync(function, DeletedReason(function), time.GetUtcNow()).ConfigureAwait(false);
        dispatcher.CancelFunction(function);
        return ended;
    }

    /// <summary>The reason invocations of a deleted function end with.</summary>
    public static string DeletedReason(string function) => $"function '{function}' was deleted before the invocation could complete";

    /// <summary>A new invocation id: 32 hex digits, time-ordered (a version 7 UUID).</summary>
    public static string NewId(DateTimeOffset now) => Guid.CreateVersion7(now).ToString("N");

    /// <summary>sha256 over the route, content type, kept headers and body: what makes two requests the same.</summary>
    private static byte[] Hash(StoredRequest request)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{request.Route}\n{request.ContentType}\n"));
        foreach (var (name, value) in request.Headers.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes($"{name}: {value}\n"));
        }

        sha.AppendData(request.Body.Span);
        return sha.GetHashAndReset();
    }
}
