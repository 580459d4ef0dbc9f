namespace Serval.Sdk;

/// <summary>
/// A handler that can run many invocations as one batch. With <c>batching: {max, delay}</c> in the
/// spec, the instance collects concurrent invocations (from different requests, and the items of
/// a plan's <c>map</c>) for up to <c>delay</c> or until <c>max</c> are waiting, and hands them over
/// together; without it, <see cref="IFunctionHandler.HandleAsync"/> serves them one by one.
/// </summary>
public interface IBatchFunctionHandler : IFunctionHandler
{
    /// <summary>
    /// Handles a batch and returns one answer per request, in the same order. An exception fails
    /// every request of the batch; to fail one request, answer it with an error status.
    /// </summary>
    ValueTask<IReadOnlyList<FunctionResponse>> HandleBatchAsync(IReadOnlyList<FunctionRequest> requests, FunctionContext context, CancellationToken cancellationToken);

    /// <summary>
    /// The width a request will be padded from (a text line's pixels, a sequence's length), so the
    /// batcher groups requests of similar width and pads each batch to a common width: with
    /// <c>batching.buckets</c>, the smallest bucket that fits; without, the widest member, where no
    /// member is padded past twice its width. 0 (the default): every request has the same width.
    /// </summary>
    int BatchWidth(FunctionRequest request) => 0;
}
