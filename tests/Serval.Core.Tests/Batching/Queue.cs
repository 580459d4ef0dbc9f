using Serval.Core.Batching;

namespace Serval.Core.Tests.Batching;

/// <summary>Builds queues on a fake clock: item i arrives at <see cref="T0"/> + the given milliseconds.</summary>
internal static class Queue
{
    public static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset At(double ms) => T0.AddMilliseconds(ms);

    /// <summary>Items with ids 1, 2, … arriving at the given times (ms), width 0.</summary>
    public static List<PendingItem> Arrivals(params double[] ms) =>
        ms.Select((t, i) => new PendingItem(i + 1, At(t))).ToList();

    /// <summary>Items with ids 1, 2, … of the given widths, item i arriving at i ms.</summary>
    public static List<PendingItem> Widths(params int[] widths) =>
        widths.Select((w, i) => new PendingItem(i + 1, At(i), w)).ToList();

    public static long[] Ids(IEnumerable<PendingItem> items) => items.Select(item => item.Id).ToArray();
}
