using System.Globalization;

namespace Serval.Core.Batching;

/// <summary>
/// How an instance groups queued requests into one model call (<c>batching: { max, delay }</c> in
/// serval.yaml), as Triton's dynamic batcher does: a batch runs when it is full or when its oldest
/// request has waited <see cref="Delay"/>. The defaults are starting points, not measurements:
/// confirm them per model with a latency-by-batch-size profile.
/// </summary>
public sealed record BatchingOptions
{
    /// <summary>
    /// The most requests in one model call (default 8, allowed 1..1024; 1 turns batching off).
    /// A batch of 8 PP-OCR recognition lines at width 320 is 8 × 3 × 48 × 320 floats ≈ 1.5 MB of
    /// input, and the per-call overhead (session run, tensor setup) is shared eight ways; a page
    /// yields tens of lines, so larger batches would mostly make the first lines wait for the last.
    /// Not yet measured: a model profile (latency by batch size) should set it per model.
    /// </summary>
    public int Max { get; init; } = 8;

    /// <summary>
    /// How long the oldest queued request may wait for others to join it (default 5 ms, allowed
    /// 0..10 s; 0 runs whatever is queued at once). A few milliseconds is small next to one
    /// model call (tens of milliseconds for a recognition batch on CPU), so a lone request pays
    /// little, while a burst fills batches before the delay ends.
    /// </summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Optional widths (strictly ascending, positive) that variable-width inputs are padded to,
    /// e.g. <c>[160, 320, 640, 1280]</c> for text lines. An item goes to the smallest bucket at
    /// least its width and a batch holds one bucket only, so a 100-wide line is never padded to
    /// 1280 because a long line arrived beside it, and the model sees a few fixed shapes. Null
    /// (the default): pad to the widest item of the batch, never more than 2× an item's width
    /// (see <see cref="BatchFormer"/>).
    /// </summary>
    public IReadOnlyList<int>? WidthBuckets { get; init; }

    /// <summary>The most buckets allowed: a handful of shapes is the point of bucketing.</summary>
    public const int MaxBuckets = 32;

    /// <summary>
    /// Every problem with these options, each naming its field (<c>"Max: must be between 1 and
    /// 1024, got 0"</c>); empty when they are valid.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Max < 1 || Max > 1024)
        {
            errors.Add(Invariant($"{nameof(Max)}: must be between 1 and 1024, got {Max}"));
        }

        if (Delay < TimeSpan.Zero || Delay > TimeSpan.FromSeconds(10))
        {
            errors.Add(Invariant($"{nameof(Delay)}: must be between 0 and 10s, got {Delay.TotalMilliseconds}ms"));
        }

        if (WidthBuckets is { } buckets)
        {
            if (buckets.Count == 0 || buckets.Count > MaxBuckets)
            {
                errors.Add(Invariant($"{nameof(WidthBuckets)}: must hold 1 to {MaxBuckets} widths, got {buckets.Count}"));
            }

            for (var i = 0; i < buckets.Count; i++)
            {
                if (buckets[i] <= 0 || (i > 0 && buckets[i] <= buckets[i - 1]))
                {
                    errors.Add(Invariant($"{nameof(WidthBuckets)}: must be positive and strictly ascending, got [{string.Join(", ", buckets)}]"));
                    break;
                }
            }
        }

        return errors;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
