namespace Serval.Core.Batching;

/// <summary>
/// The dynamic batcher's decision, pure: the queue and <c>now</c> in, a <see cref="BatchDecision"/>
/// out. The loop that owns the queue calls it whenever a request arrives, a batch finishes or a
/// <see cref="BatchDecision.Wait"/> ends.
/// </summary>
/// <remarks>
/// <para>Live items are sorted into groups that may share a batch, in arrival order: each item
/// joins the first group that has room (fewer than <see cref="BatchingOptions.Max"/>) and fits it,
/// else starts a new one. So groups are ordered by their oldest item.</para>
/// <para>With <see cref="BatchingOptions.WidthBuckets"/>, an item fits a group of its bucket (the
/// smallest bucket at least its width) and is padded to the bucket. An item wider than the largest
/// bucket is a group of its own, padded to its own width, and full at once (nothing can join it).</para>
/// <para>Without buckets the batch is padded to its widest item, and an item fits only while no
/// item would be padded past 2× its width (widest ≤ 2 × narrowest): 100 and 180 share a batch
/// (180 ≤ 200), 100 and 250 do not, and 250 waits for a later batch. Padding is wasted compute:
/// 2× bounds the waste of any item's share at half, yet lets similar lines batch together.</para>
/// <para>The first group that is full or whose oldest item has waited <see cref="BatchingOptions.Delay"/>
/// runs (the oldest's group first, since expiry follows age); if none is, wait until the oldest
/// item's arrival + delay. A full batch of a younger group runs before an unexpired older one:
/// waiting would gain nothing, and the older one runs at its deadline at the latest.</para>
/// </remarks>
public static class BatchFormer
{
    /// <summary>Decides what to do with <paramref name="queue"/> (in arrival order) at <paramref name="now"/>.</summary>
    public static BatchDecision Decide(IReadOnlyList<PendingItem> queue, DateTimeOffset now, BatchingOptions options)
    {
        var dropped = new List<PendingItem>();
        var groups = new List<Group>();
        foreach (var item in queue)
        {
            if (item.Cancelled)
            {
                dropped.Add(item);
                continue;
            }

            Place(groups, item, options);
        }

        if (groups.Count == 0)
        {
            return new BatchDecision.Idle(dropped);
        }

        foreach (var group in groups)
        {
            var full = group.Items.Count >= group.Capacity;
            var expired = now - group.Items[0].Arrival >= options.Delay;
            if (full || expired)
            {
                return new BatchDecision.RunNow(group.Items, group.PaddedWidth, dropped);
            }
        }

        return new BatchDecision.Wait(groups[0].Items[0].Arrival + options.Delay, dropped);
    }

    private static void Place(List<Group> groups, PendingItem item, BatchingOptions options)
    {
        var bucket = BucketOf(item.Width, options.WidthBuckets);
        foreach (var group in groups)
        {
            if (group.Items.Count < group.Capacity && group.Fits(item, bucket))
            {
                group.Add(item);
                return;
            }
        }

        // An oversize item (bucket -1) can share with nothing: a full group of one.
        var capacity = bucket < 0 ? 1 : options.Max;
        var created = new Group(bucket, capacity, options.WidthBuckets is null);
        created.Add(item);
        groups.Add(created);
    }

    /// <summary>The smallest bucket at least <paramref name="width"/>; 0 for width 0 or no buckets; -1 when wider than all.</summary>
    private static int BucketOf(int width, IReadOnlyList<int>? buckets)
    {
        if (buckets is null || width == 0)
        {
            return 0;
        }

        foreach (var bucket in buckets)
        {
            if (width <= bucket)
            {
                return bucket;
            }
        }

        return -1;
    }

    private sealed class Group(int bucket, int capacity, bool padToWidest)
    {
        private int _narrowest = int.MaxValue;
        private int _widest;

        public List<PendingItem> Items { get; } = [];

        public int Capacity => capacity;

        /// <summary>The bucket; an oversize item's own width; or the widest item without buckets.</summary>
        public int PaddedWidth => padToWidest || bucket < 0 ? _widest : bucket;

        public bool Fits(PendingItem item, int itemBucket)
        {
            if (!padToWidest)
            {
                return itemBucket == bucket && bucket >= 0;
            }

            // Widest ≤ 2 × narrowest once the item is in: nobody padded past twice its width.
            // Width 0 (no variable dimension) only fits other zeros: 0 ≤ 2 × 0.
            var widest = Math.Max(_widest, item.Width);
            var narrowest = Math.Min(_narrowest, item.Width);
            return widest <= 2L * narrowest;
        }

        public void Add(PendingItem item)
        {
            Items.Add(item);
            _widest = Math.Max(_widest, item.Width);
            _narrowest = Math.Min(_narrowest, item.Width);
        }
    }
}
