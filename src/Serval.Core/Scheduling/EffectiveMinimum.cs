using System.Globalization;

namespace Serval.Core.Scheduling;

/// <summary>What <see cref="ScheduledMinimum.At"/> decided: the minimum now, where it comes from, and when it changes next.</summary>
/// <param name="Min">Instances to keep ready now.</param>
/// <param name="Source">The entry that set it, or null when it is the spec's <c>instances.min</c>.</param>
/// <param name="Since">When <paramref name="Source"/> last fired; null with it.</param>
/// <param name="Next">The next change, or null when none is found within <see cref="ScheduledMinimum.Horizon"/>.</param>
public sealed record EffectiveMinimum(int Min, ScheduleEntry? Source, DateTimeOffset? Since, MinimumChange? Next);

/// <summary>A coming change of the minimum.</summary>
/// <param name="At">When it takes effect.</param>
/// <param name="Min">The minimum from then on.</param>
public sealed record MinimumChange(DateTimeOffset At, int Min)
{
    /// <summary>For the CLI: <c>4 at 2026-11-23 08:00 Europe/Berlin</c>, the time in <paramref name="zone"/>.</summary>
    public string Describe(TimeZoneInfo zone) =>
        $"{Min} at {TimeZoneInfo.ConvertTime(At, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} {zone.Id}";
}
