namespace Serval.Core.Batching;

/// <summary>
/// What <see cref="BatchFormer.Decide"/> wants done now: <see cref="RunNow"/>, <see cref="Wait"/>
/// or <see cref="Idle"/>. Every kind carries <see cref="Dropped"/>: the cancelled items it saw,
/// which the caller removes from its queue and releases.
/// </summary>
public abstract record BatchDecision(IReadOnlyList<PendingItem> Dropped)
{
    /// <summary>Run these items (in arrival order) as one batch, inputs padded to <paramref name="PaddedWidth"/> (0: no padding).</summary>
    public sealed record RunNow(IReadOnlyList<PendingItem> Items, int PaddedWidth, IReadOnlyList<PendingItem> Dropped)
        : BatchDecision(Dropped);

    /// <summary>Nothing is ready: decide again at <paramref name="Until"/>, or sooner when a request arrives.</summary>
    public sealed record Wait(DateTimeOffset Until, IReadOnlyList<PendingItem> Dropped) : BatchDecision(Dropped);

    /// <summary>No live request is queued.</summary>
    public sealed record Idle(IReadOnlyList<PendingItem> Dropped) : BatchDecision(Dropped);
}
