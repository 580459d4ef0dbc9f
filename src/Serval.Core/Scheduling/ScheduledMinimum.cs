namespace Serval.Core.Scheduling;

/// <summary>
/// The scheduled minimum, a pure policy: from a function's <c>schedule</c>, its time zone, its
/// <c>instances.min</c> and <c>now</c>, the number of instances to keep ready now and the next change.
/// The loop that applies it reads the clock and calls this; nothing here does.
/// </summary>
/// <remarks>
/// The entry that fired last wins; two firing at the same time, the later in the list wins (so a
/// special day written after the daily rule overrides it). Only fires within <see cref="Lookback"/>
/// count: with none, the minimum is <c>instances.min</c>. Schedule: 08:00 → 4, 22:00 → 1; at 07:00
/// the 22:00 of the day before is latest → 1; at 08:00 sharp → 4.
/// </remarks>
public static class ScheduledMinimum
{
    /// <summary>
    /// How far back a fire still counts: 8 days, so a weekly entry (one fire in any 7 days) always
    /// does, with a day to spare. An entry that fires less often (monthly) counts for 8 days after it fires.
    /// </summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromDays(8);

    /// <summary>How far ahead <see cref="EffectiveMinimum.Next"/> is looked for: a year, so a yearly entry is found.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(366);

    /// <summary>
    /// At most this many fire times are stepped through looking for the next change: entries that
    /// fire often without changing the minimum ("*/5 * * * *" → the current value) end the search early.
    /// </summary>
    public const int MaxSteps = 2000;

    /// <summary>The minimum at <paramref name="now"/> and the next change after it.</summary>
    /// <param name="schedule">The entries, in file order.</param>
    /// <param name="zone">The zone the crons are read in.</param>
    /// <param name="instancesMin">The spec's <c>instances.min</c>: the minimum when no entry fired within <see cref="Lookback"/>.</param>
    /// <param name="now">The time to decide for.</param>
    public static EffectiveMinimum At(IReadOnlyList<ScheduleEntry> schedule, TimeZoneInfo zone, int instancesMin, DateTimeOffset now)
    {
        var crons = new ZonedCron[schedule.Count];
        for (var i = 0; i < crons.Length; i++)
        {
            crons[i] = schedule[i].Cron.In(zone);
        }

        var current = Evaluate(schedule, crons, instancesMin, now);
        return current with { Next = NextChange(schedule, crons, instancesMin, now, current) };
    }

    private static EffectiveMinimum Evaluate(IReadOnlyList<ScheduleEntry> schedule, ZonedCron[] crons, int instancesMin, DateTimeOffset now)
    {
        ScheduleEntry? source = null;
        DateTimeOffset? since = null;
        for (var i = 0; i < crons.Length; i++)
        {
            // ">=": at the same fire time the later entry wins.
            if (crons[i].LastAtOrBefore(now, Lookback) is { } fired && (since is null || fired >= since))
            {
                (source, since) = (schedule[i], fired);
            }
        }

        return new EffectiveMinimum(source?.Min ?? instancesMin, source, since, null);
    }

    /// <summary>
    /// The minimum can only change when an entry fires or when the current source's fire falls out
    /// of the lookback: step through those times, in order, until the value differs. At a fire time
    /// the entry that fires (the last in the list, if several) is the source; only at an expiry is
    /// the whole schedule evaluated again.
    /// </summary>
    private static MinimumChange? NextChange(IReadOnlyList<ScheduleEntry> schedule, ZonedCron[] crons, int instancesMin, DateTimeOffset now, EffectiveMinimum current)
    {
        var end = now + Horizon;
        var fires = new DateTimeOffset?[crons.Length];
        for (var i = 0; i < crons.Length; i++)
        {
            fires[i] = crons[i].NextAfter(now);
        }

        var state = current;
        for (var step = 0; step < MaxSteps; step++)
        {
            var next = state.Since + Lookback;
            foreach (var fire in fires)
            {
                if (fire is not null && (next is null || fire < next))
                {
                    next = fire;
                }
            }

            if (next is not { } candidate || candidate > end)
            {
                return null;
            }

            var firing = Array.FindLastIndex(fires, fire => fire == candidate);
            state = firing >= 0
                ? new EffectiveMinimum(schedule[firing].Min, schedule[firing], candidate, null)
                : Evaluate(schedule, crons, instancesMin, candidate);
            if (state.Min != current.Min)
            {
                return new MinimumChange(candidate, state.Min);
            }

            for (var i = 0; i < crons.Length; i++)
            {
                if (fires[i] == candidate)
                {
                    fires[i] = crons[i].NextAfter(candidate);
                }
            }
        }

        return null;
    }
}
