namespace Serval.Core.Batching;

/// <summary>One queued request as the <see cref="BatchFormer"/> sees it.</summary>
/// <param name="Id">The caller's id for the request.</param>
/// <param name="Arrival">When it was queued.</param>
/// <param name="Width">Its size along the padded dimension (the W of a rec input <c>[1,3,48,W]</c>), or 0 when the input has no variable dimension.</param>
/// <param name="Cancelled">Whether the caller gave up while it was queued: it is dropped, not run.</param>
public sealed record PendingItem(long Id, DateTimeOffset Arrival, int Width = 0, bool Cancelled = false);
